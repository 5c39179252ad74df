import { DEMO_CUSTOMERS } from './people';

/**
 * 张三 came through 陈经理's poster, 李小梅 through 张三's link: a short chain for the workbench.
 * Attribution is first-touch and windowed, so seeding again (or later) changes nothing.
 */
export async function seedDemoReferrals({
  share,
  arrive,
}: {
  share: (sharer: { kind: 'staff' | 'customer'; id: string }, channel: 'poster' | 'link') => Promise<string>;
  arrive: (customerId: string, sceneId: string) => Promise<unknown>;
}): Promise<void> {
  const [zhang, li] = DEMO_CUSTOMERS;
  await arrive(zhang.id, await share({ kind: 'staff', id: 'staff-rm-sh' }, 'poster'));
  await arrive(li.id, await share({ kind: 'customer', id: zhang.id }, 'link'));
}
