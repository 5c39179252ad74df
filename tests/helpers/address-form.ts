import type { Page } from 'playwright-core';

/**
 * Fills the mini-program's address form as a customer does: typed fields, and the region picked
 * province, city, district, each level in its own pane. Only the fields given are filled.
 */
export async function fillAddress(page: Page, address: { name?: string; phone?: string; region?: [string, string, string]; detail?: string }): Promise<void> {
  const field = (name: string) => page.locator(`[data-testid="address-${name}"]:visible`);
  if (address.name !== undefined) await field('name').locator('input').fill(address.name);
  if (address.phone !== undefined) await field('phone').locator('input').fill(address.phone);
  if (address.region) {
    await field('region').click();
    for (const [level, place] of address.region.entries())
      await page
        .locator('.nut-cascader-pane')
        .nth(level)
        .locator('.nut-cascader-item')
        .filter({ hasText: new RegExp(`^${place}$`) })
        .click();
    await field('region')
      .filter({ hasText: address.region.join(' ') })
      .waitFor();
  }
  if (address.detail !== undefined) await field('detail').locator('input').fill(address.detail);
}

export const PUDONG: [string, string, string] = ['上海市', '上海市', '浦东新区'];
