/**
 * The partner that delivers top-ups and memberships, over HTTP. Calls carry the order id as
 * the partner's request id, so repeating one (a retry, the recovery sweep) never delivers twice.
 * A call that outlives its timeout is "pending": the sweep asks again later and cancels it.
 */
type ProviderStatus = { status: 'succeeded'; reference: string } | { status: 'failed' } | { status: 'pending' } | { status: 'cancelled' } | { status: 'unknown' };

export type FulfilmentProvider = {
  deliver(orderId: string, productCode: string, account: string): Promise<ProviderStatus>;
  query(orderId: string): Promise<ProviderStatus>;
  cancel(orderId: string): Promise<ProviderStatus>;
};

export function createProviderClient(options: { baseUrl: string | undefined; apiKey: string; timeoutMs: number }): FulfilmentProvider {
  async function call(method: string, path: string, body?: unknown): Promise<ProviderStatus> {
    if (!options.baseUrl) throw new Error('MALL_PROVIDER_URL is not configured');
    let res: Response;
    try {
      res = await fetch(options.baseUrl + path, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-Api-Key': options.apiKey },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (err) {
      // A DOMException, not always an Error instance: test the name.
      if ((err as { name?: string } | null)?.name === 'TimeoutError') return { status: 'pending' };
      throw err;
    }
    if (res.status === 404) return { status: 'unknown' };
    if (!res.ok) throw new Error(`provider answered ${res.status}`);
    const data = (await res.json()) as { status: ProviderStatus['status']; reference?: string };
    return data.status === 'succeeded' ? { status: 'succeeded', reference: data.reference ?? '' } : ({ status: data.status } as ProviderStatus);
  }
  return {
    deliver: (orderId, productCode, account) => call('POST', '/v1/orders', { requestId: orderId, productCode, account }),
    query: (orderId) => call('GET', `/v1/orders/${encodeURIComponent(orderId)}`),
    cancel: (orderId) => call('POST', `/v1/orders/${encodeURIComponent(orderId)}/cancel`),
  };
}
