import { api } from './client';

let banned: Promise<string[]> | null = null;
/** The configured banned wording, read once per page load. */
export const bannedWords = () => (banned ??= api.get<{ words: string[] }>('/admin/banned-words').then((r) => r.words).catch(() => { banned = null; return []; }));

export type HistoryEntry = { seq: number; action: string; actorId: string; actorRole: string; at: string; revision: number | null; reason: string | null; diff: { path: string; before: unknown; after: unknown }[] };

export const ACTION_NAMES: Record<string, string> = { created: '创建', edited: '修改', submitted: '提交审核', approved: '审核通过', rejected: '驳回', withdrawn: '下线' };

export const historyOf = (path: string, id: string) => api.get<{ items: HistoryEntry[] }>(`${path}/${id}/history`).then((r) => r.items);
