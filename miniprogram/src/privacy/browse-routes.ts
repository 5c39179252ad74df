/**
 * What a customer reaches before agreeing to the privacy policy: reading public content
 * (activities, the mall, 生活, coupons, livestreams, a friend's assist, a share's scene), and
 * asking for, giving or withdrawing consent. The BFF refuses everything else with
 * PRIVACY_CONSENT_REQUIRED; the app does not even send it (the same list as the BFF's
 * `privacy: 'browse'` routes).
 */
const BROWSE: [method: string, path: RegExp][] = [
  ['GET', /^\/activities$/],
  ['GET', /^\/activities\/[^/]+$/],
  ['GET', /^\/activities\/[^/]+\/draw$/],
  ['GET', /^\/activities\/[^/]+\/quiz\/leaderboard$/],
  ['GET', /^\/mall$/],
  ['GET', /^\/mall\/items\/[^/]+$/],
  ['GET', /^\/life$/],
  ['GET', /^\/coupons$/],
  ['GET', /^\/coupons\/[^/]+$/],
  ['GET', /^\/livestreams$/],
  ['GET', /^\/livestreams\/[^/]+$/],
  ['GET', /^\/assists\/[^/]+$/],
  ['GET', /^\/scenes\/[^/]+$/],
  ['GET', /^\/tracking\/config$/],
  ['GET', /^\/me\/privacy$/],
  ['POST', /^\/me\/privacy\/consent$/],
  ['POST', /^\/me\/privacy\/deletion-request$/],
];

/** Whether this call may go out before consent (`path` as under /api/v1, with or without its query). */
export function browsable(method: string, path: string): boolean {
  const bare = path.split('?')[0];
  return BROWSE.some(([m, p]) => m === method && p.test(bare));
}
