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

export const historyOf = (kind: ReviewedKind, id: string) => call(kind.operations.history, { params: { id } }).then((r) => r.items);
