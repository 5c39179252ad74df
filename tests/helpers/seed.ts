import type { TestBff } from './bff';
import { seedDemoData } from '../../bff/src/seed';
import { DEMO_PASSWORD } from '../../bff/demo/people';
import { testConfig } from './bff';

export { DEMO_PASSWORD };

/** The demo bank (head office, two branches, staff, two customers who have agreed to the privacy policy) in this test's database. */
export async function seedDemo(bff: TestBff): Promise<void> {
  await seedDemoData(bff.app.services, testConfig(), ['org', 'staff', 'customers', 'privacy']);
}

export async function staffToken(bff: TestBff, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await bff.call('loginStaff', { body: { username, password } });
  if (res.status !== 200) throw new Error(`staff login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken;
}

/** The whole demo bank `npm start` serves: people, a mall and a programme of live activities. */
export async function seedDemoBank(bff: TestBff): Promise<void> {
  await seedDemoData(bff.app.services, testConfig());
}
