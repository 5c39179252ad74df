/**
 * One Idempotency-Key per claim intent: made on the first tap, sent again on every retry, and
 * given up only once the BFF has settled the claim (a coupon, or a refusal such as 已领完 or
 * 每人限领). A network error, a timeout, a 5xx or a rate limit settles nothing: the claim may have
 * been taken, and the retry with the same key finds it (the BFF finishes it, or returns it).
 */
export function createClaimIntent(newKey: () => string) {
  let key: string | null = null;
  return {
    key(): string {
      key ??= newKey();
      return key;
    },
    /** What the claim came to: `'ok'`, or the failure's HTTP status (0 for no answer). */
    settle(outcome: 'ok' | { status: number }): void {
      if (outcome === 'ok') key = null;
      else if (outcome.status >= 400 && outcome.status < 500 && outcome.status !== 408 && outcome.status !== 429) key = null;
    },
  };
}
