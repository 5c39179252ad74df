import Taro from '@tarojs/taro';

/**
 * What the customer has chosen in a running attempt, kept on the phone under the attempt's id, so coming
 * back to it (the attempt resumed from the BFF) puts back the answers and the question they were at.
 */
export type Draft = { attemptId: string; answers: number[][]; at: number };

const PREFIX = 'bank.quizDraft.';
const key = (attemptId: string) => `${PREFIX}${attemptId}`;
// An attempt runs minutes, not days: a draft older than this belongs to one long over.
const KEEP_MS = 24 * 3_600_000;

export function readDraft(attemptId: string): Draft | null {
  try {
    const stored = Taro.getStorageSync(key(attemptId)) as Draft | '';
    return stored && stored.attemptId === attemptId && Array.isArray(stored.answers) ? stored : null;
  } catch {
    return null;
  }
}

export function writeDraft(draft: Draft): void {
  try {
    Taro.setStorageSync(key(draft.attemptId), { ...draft, savedAt: Date.now() });
  } catch {
    // A full storage loses only the convenience: the attempt itself is on the server.
  }
}

export const dropDraft = (attemptId: string) => {
  try {
    Taro.removeStorageSync(key(attemptId));
  } catch {
    // Nothing to keep.
  }
};

/** Drafts of attempts long over (left to run out, never come back to) are removed. */
export function pruneDrafts(): void {
  try {
    for (const k of Taro.getStorageInfoSync().keys) {
      if (!k.startsWith(PREFIX)) continue;
      const stored = Taro.getStorageSync(k) as { savedAt?: number } | '';
      if (!stored || !stored.savedAt || Date.now() - stored.savedAt > KEEP_MS) Taro.removeStorageSync(k);
    }
  } catch {
    // Storage unreadable: nothing to tidy.
  }
}

const INTENT = 'bank.quizStartIntent';
const INTENT_MS = 30_000;

/** 开始答题 tapped on the activity's page: the quiz page starts at once, one tap in all. */
export const markStartIntent = (activityId: string) => Taro.setStorageSync(INTENT, { activityId, at: Date.now() });

/** Whether 开始答题 was just tapped for this quiz; taken once (a reload later starts nothing by itself). */
export function takeStartIntent(activityId: string): boolean {
  try {
    const intent = Taro.getStorageSync(INTENT) as { activityId: string; at: number } | '';
    if (!intent) return false;
    Taro.removeStorageSync(INTENT);
    return intent.activityId === activityId && Date.now() - intent.at < INTENT_MS;
  } catch {
    return false;
  }
}
