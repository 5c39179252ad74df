import type { ReviewedKind } from '../kinds';
import { call } from './client';

let banned: Promise<string[]> | null = null;
/** The configured banned wording, read once per page load. */
export const bannedWords = () =>
  (banned ??= call('listBannedWords')
    .then((r) => r.words)
    .catch(() => {
      banned = null;
      return [];
    }));

export const ACTION_NAMES: Record<string, string> = { created: '创建', edited: '修改', submitted: '提交审核', approved: '审核通过', rejected: '驳回', withdrawn: '下线' };

export const historyOf = (kind: ReviewedKind, id: string) => call(kind.operations.history, { params: { id } }).then((r) => r.items);
