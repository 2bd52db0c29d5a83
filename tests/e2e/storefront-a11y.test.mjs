// axe-core on the storefront's home, listing and cart pages: no serious or critical
// findings. (`@axe-core/playwright` needs a page opened from `browser.newContext()`.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { launchBrowser, rememberDestination, url, waitForApp } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const byTestId = (id) => `[data-testid="${id}"]`;

/** Serious and critical axe findings on the page, as readable lines. */
async function findings(page) {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

for (const [name, viewport] of [
  ['desktop', { width: 1440, height: 900 }],
  ['phone', { width: 375, height: 812 }],
]) {
  test(`home, listing and cart have no serious or critical axe findings (${name})`, async () => {
    const context = await browser.newContext({ viewport });
    await rememberDestination(context, 'US|10001');
    const page = await context.newPage();
    try {
      await page.goto(url('/'));
      await waitForApp(page);
      await page.waitForSelector(byTestId('card-window'));
      assert.deepEqual(await findings(page), [], 'home');

      await page.locator(`${byTestId('listing-card')}:has(${byTestId('card-window')}) a`).first().click();
      await page.waitForSelector(byTestId('listing-window'));
      assert.deepEqual(await findings(page), [], 'listing');

      await page.click(byTestId('add-to-cart'));
      await page.goto(url('/cart'));
      await page.waitForSelector(byTestId('totals'));
      assert.deepEqual(await findings(page), [], 'cart');
    } finally {
      await context.close();
    }
  });
}
