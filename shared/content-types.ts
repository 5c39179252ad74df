// The content library's kinds. Free of zod: the mini-program and the console import these values.

/** The kinds of content relationship managers share: 话术 (a script to send), 海报 (a poster), 文章 (a short article). */
export const LIBRARY_CONTENT_TYPES = ['script', 'poster', 'article'] as const;
export type LibraryContentType = (typeof LIBRARY_CONTENT_TYPES)[number];
export const libraryContentTypeNamesZh: Record<LibraryContentType, string> = { script: '话术', poster: '海报', article: '文章' };
