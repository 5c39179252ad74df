import type { ServiceTarget } from '@shared/contracts/life';

/** What the web-view page asks the BFF: a service's target by its id, a livestream's replay by its id. */
export type WebSourceApi = {
  service(id: string): Promise<{ name: string; target: ServiceTarget }>;
  livestream(id: string): Promise<{ title: string; replayUrl: string | null }>;
};

/**
 * The address the web-view page opens: only one the BFF gives now for a service (`?service=`) or
 * a livestream's replay (`?live=`), which it checked against the allowlist and normalised. An
 * address in the page's query (`?url=`) is never opened, whoever put it there.
 */
export async function webSource(params: Partial<Record<string, string>>, api: WebSourceApi): Promise<{ url: string; title: string } | null> {
  const https = (url: string | null | undefined) => (url && url.startsWith('https://') ? url : null);
  if (params.service) {
    const s = await api.service(decodeURIComponent(params.service));
    const url = s.target.kind === 'web' ? https(s.target.url) : null;
    return url ? { url, title: s.name } : null;
  }
  if (params.live) {
    const url = https((await api.livestream(decodeURIComponent(params.live))).replayUrl);
    return url ? { url, title: '直播回放' } : null;
  }
  return null;
}
