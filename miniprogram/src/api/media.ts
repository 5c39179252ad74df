import { API_PREFIX } from './http';

/** A picture's address: the catalogue's https one as is, one the BFF serves (a path, `getMedia`'s) under the API. */
export const mediaUrl = (ref: string): string => (ref.startsWith('/') ? `${API_PREFIX}${ref}` : ref);
