import type { Attribution, Scenes } from '../src/referrals';
import { DEMO_CUSTOMERS } from './people';

/**
 * 张三 came through 陈经理's poster, 李小梅 through 张三's link: a short chain for the workbench.
 * Attribution is first-touch and windowed, so seeding again (or later) changes nothing.
 */
export async function seedDemoReferrals({ scenes, attribution }: { scenes: Scenes; attribution: Attribution }): Promise<void> {
  const [zhang, li] = DEMO_CUSTOMERS;
  const poster = await scenes.ensure({ sharer: { kind: 'staff', id: 'staff-rm-sh' }, activityId: null, assistId: null, channel: 'poster' });
  await attribution.arrive(zhang.id, poster._id, null);
  const link = await scenes.ensure({ sharer: { kind: 'customer', id: zhang.id }, activityId: null, assistId: null, channel: 'link' });
  await attribution.arrive(li.id, link._id, null);
}
