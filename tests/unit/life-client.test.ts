import { createClaimIntent } from '../../miniprogram/src/packages/life/coupon/claim-intent';
import { webSource, type WebSourceApi } from '../../miniprogram/src/packages/life/web/source';

/** Issue 26, findings 19 and 25, on the phone: one key per claim intent; the web-view opens only what the BFF gives for an id. */
describe('the coupon page’s claim intent (finding 19)', () => {
  const keys = () => {
    let n = 0;
    return () => `key-${n++}`;
  };

  test('a network error, a timeout, a 5xx or a rate limit keeps the key: the retry is the same claim', () => {
    const intent = createClaimIntent(keys());
    const first = intent.key();
    for (const status of [0, 408, 429, 500, 502, 503]) {
      intent.settle({ status });
      expect(intent.key()).toBe(first);
    }
  });

  test('an answer that settles the claim (success, or a refusal like 已领完 or 每人限领) starts a new intent on the next tap', () => {
    const intent = createClaimIntent(keys());
    const first = intent.key();
    intent.settle('ok');
    const second = intent.key();
    expect(second).not.toBe(first);
    intent.settle({ status: 409 });
    expect(intent.key()).not.toBe(second);
  });
});

describe('the web-view page (finding 25)', () => {
  const api = (): WebSourceApi & { calls: string[] } => {
    const calls: string[] = [];
    return {
      calls,
      service: async (id) => {
        calls.push(`service:${id}`);
        if (id === 'page-svc') return { name: '本行页面', target: { kind: 'page', path: '/pages/mall/index' } };
        if (id === 'http-svc') return { name: '明文', target: { kind: 'web', url: 'http://m.yxbank.cn/' } };
        return { name: '公积金', target: { kind: 'web', url: 'https://service.yxbank.cn/fund' } };
      },
      livestream: async (id) => {
        calls.push(`live:${id}`);
        return { title: '理财直播', replayUrl: id === 'no-replay' ? null : 'https://video.yxbank.cn/r/1' };
      },
    };
  };

  test('an address in the query is never opened, whatever it is', async () => {
    const a = api();
    expect(await webSource({ url: encodeURIComponent('https://evil.example/phish') }, a)).toBeNull();
    expect(await webSource({ url: encodeURIComponent('https://service.yxbank.cn/fund') }, a)).toBeNull();
    expect(a.calls).toEqual([]);
  });

  test('a service or a replay by its id: the address is the one the BFF gives now', async () => {
    const a = api();
    expect(await webSource({ service: 'fund', url: encodeURIComponent('https://evil.example/') }, a)).toEqual({ url: 'https://service.yxbank.cn/fund', title: '公积金' });
    expect(await webSource({ live: 'ls-1' }, a)).toEqual({ url: 'https://video.yxbank.cn/r/1', title: '直播回放' });
    expect(await webSource({ live: 'no-replay' }, a)).toBeNull();
    expect(await webSource({ service: 'page-svc' }, a)).toBeNull();
    expect(await webSource({ service: 'http-svc' }, a)).toBeNull();
  });
});
