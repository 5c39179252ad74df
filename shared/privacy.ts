// Kept free of zod, like errors.ts: the mini-program shows this version and sends it back.

/** The bank's privacy policy and personal-information rules now in force: consent is to this version. */
export const PRIVACY_POLICY_VERSION = '2026-11';

/**
 * What a customer reaches before agreeing to the policy in force (PIPL arts. 13, 14): reading
 * public content (activities, the mall, 生活, coupons, livestreams, a friend's assist, a manager's shared content, a share's
 * scene, the tracker's sampling) and asking for, giving or withdrawing consent. The BFF refuses
 * every other customer route with PRIVACY_CONSENT_REQUIRED, and these routes then write and
 * personalise nothing; the mini-program does not even send the others. Paths as under /api/v1,
 * written as the BFF declares them.
 */
export const BROWSE_BEFORE_CONSENT: readonly (readonly ['GET' | 'POST', string])[] = [
  ['GET', '/activities'],
  ['GET', '/activities/:id'],
  ['GET', '/activities/:id/draw'],
  ['GET', '/activities/:id/quiz/leaderboard'],
  ['GET', '/mall'],
  ['GET', '/mall/items/:id'],
  ['GET', '/life'],
  ['GET', '/coupons'],
  ['GET', '/coupons/:id'],
  ['GET', '/livestreams'],
  ['GET', '/livestreams/:id'],
  ['GET', '/assists/:id'],
  ['GET', '/content/:id'],
  ['GET', '/scenes/:scene'],
  ['GET', '/scenes/:scene/wxacode'],
  ['GET', '/tracking/config'],
  ['GET', '/me/privacy'],
  ['POST', '/me/privacy/consent'],
  ['POST', '/me/privacy/deletion-request'],
];

const browsePatterns = BROWSE_BEFORE_CONSENT.map(([method, template]) => [method, new RegExp(`^${template.replace(/:\w+/g, '[^/]+')}$`)] as const);

/** Whether a call may be made before consent: `path` as under /api/v1, a declared template or a real path (its query ignored). */
export function browsableBeforeConsent(method: string, path: string): boolean {
  const bare = path.split('?')[0];
  return browsePatterns.some(([m, pattern]) => m === method.toUpperCase() && pattern.test(bare));
}
