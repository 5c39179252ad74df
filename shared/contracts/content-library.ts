import { z } from 'zod';
import { IdParams, statedRules, trimmedText, whenField } from './common';
import { ImageRef } from './media';
import { Share } from './referrals';
import { adminDocument } from './review';
import { byOperationId, reviewedOperations } from '../api/reviewed';
import { endpoints } from '../api/endpoint';
import { Role } from '../roles';
import { SCENE_PATTERN } from '../scene-rules';
import { LIBRARY_CONTENT_TYPES } from '../content-types';

export { LIBRARY_CONTENT_TYPES, libraryContentTypeNamesZh, type LibraryContentType } from '../content-types';

const isoDateTime = z.iso.datetime({ offset: true });

/**
 * A piece of the content library (内容库 / 话术库), reviewed by 消保 like an activity: banned
 * wording is refused in every field, it is shown only within its validity, and only staff of the
 * units it names (or of units below them) may share it.
 */
export const LibraryContentInput = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    type: z.enum(LIBRARY_CONTENT_TYPES).describe('script 话术 · poster 海报 · article 文章'),
    orgUnitId: z.string().min(1).max(64).describe('The issuing unit: its name is shown to customers'),
    title: trimmedText(2).max(40),
    summary: trimmedText(1).max(100).optional(),
    body: trimmedText(1).max(5000).optional().describe('The text: required for a script and an article'),
    image: ImageRef.optional().describe('The poster itself (required for a poster), or an article’s cover'),
    startAt: isoDateTime.describe('Valid from'),
    endAt: isoDateTime.describe('Valid until: expired content stops opening'),
    unitIds: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(50)
      .optional()
      .describe('The org units whose staff (and staff of units below them) may share it, each in the author’s subtree; left out: the issuing unit'),
  })
  .strict()
  .refine((c) => Date.parse(c.endAt) > Date.parse(c.startAt), { message: '结束时间必须晚于开始时间', path: ['endAt'] })
  .refine((c) => c.type === 'poster' || c.body !== undefined, { message: '话术与文章须填写正文', path: ['body'] })
  .refine((c) => c.type !== 'poster' || c.image !== undefined, { message: '海报须上传图片', path: ['image'] })
  .refine((c) => c.type !== 'script' || c.image === undefined, { message: '话术不带图片', path: ['image'] })
  .describe(statedRules('endAt after startAt; a script and an article have a body; a poster has an image, a script none; every one of unitIds is the author’s unit or below it.'))
  .meta({
    allOf: [
      whenField('type', ['script', 'article'], { required: ['body'] }),
      whenField('type', ['poster'], { required: ['image'] }),
      whenField('type', ['script'], { not: { required: ['image'] } }),
    ],
  });
export type LibraryContentInput = z.infer<typeof LibraryContentInput>;
const AdminLibraryContent = adminDocument(LIBRARY_CONTENT_TYPES, 'AdminLibraryContent');

/** A piece of content as the relationship manager's workbench lists it. */
export const UsableContent = z.object({
  id: z.string(),
  code: z.string(),
  type: z.enum(LIBRARY_CONTENT_TYPES),
  title: z.string(),
  summary: z.string().nullable(),
  body: z.string().nullable().describe('The script to send, or the article'),
  image: z.string().nullable().describe('The poster or cover: an https address, or an API path under /media'),
  startAt: z.string(),
  endAt: z.string(),
  opens: z.number().int().describe('Customers who opened it through my shares (each once)'),
});
export type UsableContent = z.infer<typeof UsableContent>;

/** A piece of content as the customer sees it. */
export const ContentView = z.object({
  id: z.string(),
  type: z.enum(LIBRARY_CONTENT_TYPES),
  title: z.string(),
  summary: z.string().nullable(),
  body: z.string().nullable(),
  image: z.string().nullable().describe('An https address, or an API path under /media'),
  unitName: z.string().describe('The issuing unit'),
  validUntil: z.string(),
});
export type ContentView = z.infer<typeof ContentView>;

const ShareContentBody = z.object({}).strict();
const OpenContentQuery = z.object({
  scene: z.string().regex(SCENE_PATTERN, '分享场景值须为 1–32 位字母或数字').optional().describe('The share it was opened through: counted for its sharer'),
});

export const libraryContentReview = reviewedOperations({
  path: '/admin/library',
  tag: 'admin:library',
  noun: { one: 'LibraryContent', many: 'LibraryContents' },
  label: '内容',
  input: LibraryContentInput,
  admin: AdminLibraryContent,
  csvNote: 'unitIds 列为 JSON',
});

export const contentLibraryApi = {
  ...byOperationId(libraryContentReview),
  ...endpoints({
    listUsableContent: {
      method: 'get',
      path: '/rm/library',
      operationId: 'listUsableContent',
      summary: '内容库：本人可用（本机构或上级机构授权）、在有效期内的已发布内容，各带本人分享的打开人数',
      tags: ['rm'],
      access: [Role.RM] as const,
      responses: { 200: { description: 'Newest first', schema: z.object({ items: z.array(UsableContent) }) } },
    },
    shareContent: {
      method: 'post',
      path: '/rm/library/:id/shares',
      operationId: 'shareContent',
      summary: '分享内容给客户：本人的场景值与内容页路径（同一内容再次分享得到同一场景）',
      tags: ['rm'],
      access: [Role.RM] as const,
      params: IdParams,
      body: ShareContentBody,
      responses: { 200: { description: 'The share', schema: Share }, 404: { description: 'Not content this manager may share now' } },
    },
    openContent: {
      method: 'get',
      path: '/content/:id',
      operationId: 'openContent',
      summary: '打开客户经理分享的内容；经分享打开的，同意隐私政策后每位客户每次分享计一次',
      tags: ['customer:content'],
      access: [Role.CUSTOMER] as const,
      params: IdParams,
      query: OpenContentQuery,
      responses: {
        200: { description: 'The content', schema: ContentView },
        404: { description: 'No such content' },
        410: { description: 'CONTENT_UNAVAILABLE: withdrawn, expired, or not yet valid' },
      },
    },
  }),
};
