// The seller panel (/seller) in Chromium, used the way a seller uses it: sign in (and the
// plain-words errors), change a price and watch the margin move before saving, save, see
// the new price on the storefront; two browsers editing the same SKU (the conflict view,
// "keep mine" and "take theirs"); a bulk price change; axe at 375 and 1440 px.
// Screenshots at 375 and 1440 px go to $E2E_SHOTS (default .test-output/screenshots).
// Run against a server with the demo catalog and seller accounts:
//   scripts/with-server.sh node --test tests/e2e/seller.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launchBrowser, rememberDestination, url, waitForApp } from './helpers.mjs';
import { demoSellers, findings, login, password, signIn, watch } from './seller-helpers.mjs';

const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1440, height: 900 };
const shotsDir = process.env.E2E_SHOTS ?? '.test-output/screenshots';
mkdirSync(shotsDir, { recursive: true });

// Each test signs in as its own demo seller where it can (seller-helpers.mjs), so the
// tests do not change each other's SKUs.

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const byTestId = (id) => `[data-testid="${id}"]`;

async function shot(page, name) {
  await page.screenshot({ path: `${shotsDir}/${name}.png`, fullPage: true });
}



/** A fresh browser context on `path`, the app started. */
async function open(path, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport });
  await rememberDestination(context, 'US|10001');
  const page = await context.newPage();
  const problems = watch(page, [401, 409]);
  await page.goto(url(path));
  await waitForApp(page);
  return { context, page, problems };
}


/** The demo sellers this file may edit: the first three (see demoSellers). */
async function sellers() {
  const ids = (await demoSellers()).slice(0, 3);
  assert.ok(ids.length >= 2, `demo sellers: ${ids}`);
  return ids;
}

/** Opens the first SKU of the table at `query` whose US row has no running promotion and
 *  returns its id. */
async function openSku(page, query) {
  await page.goto(url(`/seller?${query}`));
  await waitForApp(page);
  await page.waitForSelector(`${byTestId('sku-row')}, ${byTestId('skus-empty')}`);
  const id = await page.$$eval(byTestId('sku-row'), (rows) => {
    const ok = rows.find((r) => {
      const us = r.querySelector('[data-testid="sku-market"][data-market="US"]');
      return us && !us.querySelector('.badge-promo');
    });
    return ok?.dataset.id ?? null;
  });
  assert.ok(id, `a SKU without a promotion in US at /seller?${query}`);
  await page.click(`${byTestId('sku-row')}[data-id="${id}"] ${byTestId('open-sku')}`);
  await page.waitForSelector(byTestId('mode-table'));
  return id;
}

/** The unit margin of `slug`'s column, in minor units. */
const marginOf = (page, slug) =>
  page.$eval(byTestId(`margin-${slug}`), (e) => Number(e.dataset.minor));

/** The mode being edited ("semi-managed", …). */
const editedMode = (page) =>
  page.$eval('input[name="mode"]:checked', (e) => e.dataset.testid.replace(/^mode-/, ''));

/** "19.99" → "22.99". */
const plus = (text, cents) => (Math.round(Number(text) * 100) + cents) / 100;

test('sign-in errors are in plain words, and nothing is remembered', async () => {
  const { context, page, problems } = await open('/seller', PHONE);
  try {
    await page.waitForSelector(byTestId('sign-in'));
    await shot(page, 'seller-sign-in-375');
    await page.click(byTestId('sign-in-submit'));
    assert.match(await page.textContent('#login-error'), /Enter the e-mail address/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'login');
    await page.fill(byTestId('login'), login('nobody'));
    await page.fill(byTestId('password'), 'not the password');
    await page.click(byTestId('sign-in-submit'));
    await page.waitForFunction(() => !document.querySelector('[data-testid="sign-in-error"]').hidden);
    assert.match(await page.textContent(byTestId('sign-in-error')), /login or the password is wrong/);
    assert.equal(await page.inputValue(byTestId('password')), '', 'the password is cleared');
    // The server being unreachable says so.
    await page.route('**/api/seller/session', (route) => route.abort('connectionrefused'));
    await page.fill(byTestId('password'), 'x');
    await page.click(byTestId('sign-in-submit'));
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="sign-in-error"]')?.textContent.includes('could not reach'),
    );
    await page.unroute('**/api/seller/session');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    assert.ok(!stored.includes('demo.crossdock') && !stored.includes('password'), stored);
    assert.deepEqual(problems.filter((p) => !p.includes('net::ERR')), []);
  } finally {
    await context.close();
  }
});

test('too many wrong passwords say how long to wait', async () => {
  // An unknown login is throttled like a real one (and no real seller is locked out).
  const { context, page } = await open('/seller');
  try {
    await page.waitForSelector(byTestId('sign-in'));
    for (let i = 0; i < 6; i++) {
      await page.fill(byTestId('login'), login('throttle-test'));
      await page.fill(byTestId('password'), `wrong-${i}`);
      await page.click(byTestId('sign-in-submit'));
      await page.waitForFunction(
        () => !document.querySelector('[data-testid="sign-in-submit"]').disabled,
      );
    }
    await page.waitForFunction(() =>
      /Too many failed sign-ins\. .*try again in \d+ minutes?\./.test(
        document.querySelector('[data-testid="sign-in-error"]')?.textContent ?? '',
      ),
    );
  } finally {
    await context.close();
  }
});

test('sign in, change a price, watch the margin move, save, see it on the storefront', async () => {
  const [seller] = await sellers();
  const { context, page, problems } = await open('/seller');
  try {
    await signIn(page, seller);
    assert.ok((await page.textContent(byTestId('seller-name'))).length > 0);
    await page.waitForSelector(`${byTestId('sku-row')}, ${byTestId('skus-empty')}`);
    await shot(page, 'seller-skus-1440');
    const id = await openSku(page, 'market=US');
    const slug = await editedMode(page);
    if (slug === 'fully-managed') {
      // Work on the shown price: try semi-managed (the price field appears).
      await page.check(byTestId('mode-semi-managed'));
    }
    const mode = await editedMode(page);
    const before = await marginOf(page, mode);
    const price = await page.inputValue(byTestId('price'));
    const next = plus(price, 300).toFixed(2);
    // Validation before sending: zero is refused in words, and nothing is saved.
    await page.fill(byTestId('price'), '0');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="price-error"]')?.textContent.includes('above zero'),
    );
    await page.fill(byTestId('price'), next);
    // The margin moves as the seller types, before saving.
    await page.waitForFunction(
      ([sel, old]) => Number(document.querySelector(sel)?.dataset.minor) > old,
      [byTestId(`margin-${mode}`), before],
    );
    assert.match(await page.textContent(byTestId('save-status')), /unsaved changes/);
    await page.waitForSelector(`${byTestId('margin-chart')}, [data-testid^="margin-chart-"]`);
    await shot(page, 'seller-sku-1440');
    await page.click(byTestId('save'));
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="save-status"]')?.textContent.startsWith('Saved'),
    );
    assert.equal(await page.inputValue(byTestId('price')), next);
    // The history has the change.
    await page.waitForFunction(
      (p) => [...document.querySelectorAll('[data-testid="audit-after"]')].some((e) => e.textContent.includes(p)),
      next,
    );
    // The storefront shows the new price.
    await page.goto(url(`/listing/${id}`));
    await waitForApp(page);
    await page.waitForSelector(byTestId('listing-price'));
    await page.waitForFunction(
      (p) => document.querySelector('[data-testid="listing-price"]')?.textContent.replace(/[^\d.]/g, '') === p,
      next,
    );
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('two browsers edit the same SKU: the conflict view, keep mine and take theirs', async () => {
  const [, seller] = await sellers();
  const a = await open('/seller');
  const b = await open('/seller');
  try {
    await signIn(a.page, seller);
    await signIn(b.page, seller);
    const id = await openSku(a.page, 'market=US');
    await b.page.goto(url(`/seller?sku=${id}&market=US`));
    await waitForApp(b.page);
    await b.page.waitForSelector(byTestId('mode-table'));
    for (const p of [a.page, b.page]) {
      if ((await editedMode(p)) === 'fully-managed') await p.check(byTestId('mode-semi-managed'));
    }
    const price = await a.page.inputValue(byTestId('price'));
    const theirs = plus(price, 100).toFixed(2);
    const mine = plus(price, 200).toFixed(2);
    // A saves first.
    await a.page.fill(byTestId('price'), theirs);
    await a.page.click(byTestId('save'));
    await a.page.waitForFunction(() =>
      document.querySelector('[data-testid="save-status"]')?.textContent.startsWith('Saved'),
    );
    // B, still on the old version, saves: nothing is lost, both values are shown.
    await b.page.fill(byTestId('price'), mine);
    await b.page.click(byTestId('save'));
    await b.page.waitForSelector(byTestId('conflict'));
    const row = b.page.locator(byTestId('conflict-row')).filter({ hasText: 'Price in US' });
    assert.match(await row.locator(byTestId('conflict-mine')).textContent(), new RegExp(mine.replace('.', '\\.')));
    assert.match(await row.locator(byTestId('conflict-theirs')).textContent(), new RegExp(theirs.replace('.', '\\.')));
    assert.equal(await b.page.inputValue(byTestId('price')), mine, 'the edit is still there');
    assert.equal(
      await b.page.evaluate(() => document.activeElement?.id),
      'conflict-title',
      'focus moves to the conflict',
    );
    assert.deepEqual(await findings(b.page), [], 'the conflict view');
    await shot(b.page, 'seller-conflict-1440');
    await b.page.setViewportSize(PHONE);
    await shot(b.page, 'seller-conflict-375');
    await b.page.setViewportSize(DESKTOP);
    // Keep mine: saved on top of the new version.
    await b.page.click(byTestId('keep-mine'));
    await b.page.waitForFunction(() =>
      document.querySelector('[data-testid="save-status"]')?.textContent.startsWith('Saved'),
    );
    assert.equal(await b.page.locator(byTestId('conflict')).count(), 0);
    // Now A is behind: A edits again, and takes theirs (B's).
    const again = plus(price, 400).toFixed(2);
    await a.page.fill(byTestId('price'), again);
    await a.page.click(byTestId('save'));
    await a.page.waitForSelector(byTestId('conflict'));
    await a.page.click(byTestId('take-theirs'));
    await a.page.waitForFunction(
      (p) => document.querySelector('[data-testid="price"]')?.value === p,
      mine,
    );
    assert.match(await a.page.textContent(byTestId('save-status')), /dropped/);
    // What the server holds is B's price.
    const check = await b.context.request.get(url(`/api/seller/listings/${id}`));
    const body = await check.json();
    const us = body.prices.find((p) => p.market === 'US');
    assert.equal(us.price.minor, Math.round(Number(mine) * 100));
    assert.deepEqual(a.problems, []);
    assert.deepEqual(b.problems, []);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});

test('a session that ends mid-edit asks to sign in again and keeps the unsaved edit', async () => {
  const all = await sellers();
  const seller = all[1];
  const { context, page, problems } = await open('/seller');
  try {
    await signIn(page, seller);
    await openSku(page, 'market=US');
    if ((await editedMode(page)) === 'fully-managed') await page.check(byTestId('mode-semi-managed'));
    const next = plus(await page.inputValue(byTestId('price')), 50).toFixed(2);
    await page.fill(byTestId('price'), next);
    await context.clearCookies();
    await page.click(byTestId('save'));
    await page.waitForSelector(`.sign-in-dialog ${byTestId('sign-in-notice')}`);
    assert.match(await page.textContent(byTestId('sign-in-notice')), /session has ended/);
    assert.equal(await page.inputValue(byTestId('price')), next, 'the edit is kept');
    assert.deepEqual(await findings(page), [], 'the sign-in dialog');
    await shot(page, 'seller-session-ended-1440');
    await page.fill(byTestId('login'), login(seller));
    await page.fill(byTestId('password'), password(seller));
    await page.click(byTestId('sign-in-submit'));
    await page.waitForSelector(byTestId('sign-in'), { state: 'detached' });
    await page.click(byTestId('save'));
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="save-status"]')?.textContent.startsWith('Saved'),
    );
    assert.equal(await page.inputValue(byTestId('price')), next);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a bulk price change saves each selected SKU and reports it', async () => {
  const all = await sellers();
  const seller = all[2] ?? all[0];
  const { context, page, problems } = await open('/seller?market=US', PHONE);
  try {
    await signIn(page, seller);
    await page.waitForSelector(byTestId('sku-row'));
    const boxes = page.locator(byTestId('select-sku'));
    await boxes.nth(0).check();
    if ((await boxes.count()) > 1) await boxes.nth(1).check();
    await page.waitForSelector(byTestId('bulk-bar'));
    await page.check(byTestId('bulk-kind-price'));
    // A change of zero is refused before anything is sent.
    await page.fill(byTestId('bulk-change'), '0');
    await page.click(byTestId('bulk-apply'));
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="bulk-error"]')?.textContent.includes('changes nothing'),
    );
    await page.fill(byTestId('bulk-change'), '-5');
    await page.click(byTestId('bulk-apply'));
    await page.waitForFunction(() =>
      /saved/.test(document.querySelector('[data-testid="bulk-summary"]')?.textContent ?? '') &&
      !document.querySelector('[data-testid="bulk-line"][data-outcome="pending"]'),
    );
    const outcomes = await page.$$eval(byTestId('bulk-line'), (ls) => ls.map((l) => l.dataset.outcome));
    assert.ok(outcomes.length >= 1 && outcomes.every((o) => o === 'ok' || o === 'skipped'), `${outcomes}`);
    await shot(page, 'seller-skus-bulk-375');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

for (const [name, viewport] of [
  ['1440', DESKTOP],
  ['375', PHONE],
]) {
  test(`sign-in, the SKU table and a SKU have no serious or critical axe findings (${name} px)`, async () => {
    const [seller] = await sellers();
    const { context, page } = await open('/seller', viewport);
    try {
      await page.waitForSelector(byTestId('sign-in'));
      assert.deepEqual(await findings(page), [], 'sign-in');
      await signIn(page, seller);
      await page.waitForSelector(byTestId('sku-row'));
      assert.deepEqual(await findings(page), [], 'SKU table');
      if (name === '375') await shot(page, 'seller-skus-375');
      await page.click(`${byTestId('sku-row')} ${byTestId('open-sku')}`);
      await page.waitForSelector(byTestId('mode-table'));
      await page.waitForSelector(byTestId('audit-log') + ', ' + byTestId('audit-empty'));
      assert.deepEqual(await findings(page), [], 'SKU');
      if (name === '375') await shot(page, 'seller-sku-375');
      // Keyboard: from the price, Tab reaches the save button, and focus shows.
      await page.focus(byTestId('price'));
      const ring = (sel) => page.$eval(sel, (e) => getComputedStyle(e).boxShadow);
      assert.notEqual(await ring(byTestId('price')), 'none', 'focus is visible on the price');
      let reached = false;
      for (let i = 0; i < 80 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(() => document.activeElement?.dataset.testid === 'save');
      }
      assert.ok(reached, 'Tab reaches the save button');
      assert.notEqual(await ring(byTestId('save')), 'none', 'focus is visible on the save button');
    } finally {
      await context.close();
    }
  });
}
