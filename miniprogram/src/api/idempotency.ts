/** A key for one attempt of a spending request: made once per tap, sent again on every retry of it. */
export const newIdempotencyKey = () => `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}${Math.random().toString(36).slice(2, 8)}`;
