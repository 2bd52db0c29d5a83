// Stock in the seller panel (/seller?sku=…) and what it does to the storefront, in
// Chromium, the way a seller uses it: a warehouse that runs out moves the listing page's
// promise to the next warehouse; a sea shipment announced, listed, withdrawn (after a
// confirmation, also from a tab that had gone stale), and both in the SKU's history;
// axe on the stock section with a shipment listed and with the question open.
// Screenshots of the SKU's stock section at 375 and 1440 px go to $E2E_SHOTS (default
// .test-output/screenshots).
// Run against a server with the demo catalog and seller accounts:
//   scripts/with-server.sh node --test tests/e2e/seller-stock.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launchBrowser, rememberDestination, url, waitForApp } from './helpers.mjs';
import { demoSellers, findings, login, password, signIn, watch } from './seller-helpers.mjs';

const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1440, height: 900 };
const shotsDir = process.env.E2E_SHOTS ?? '.test-output/screenshots';
mkdirSync(shotsDir, { recursive: true });

// The storefront side: a shopper in New York.
const MARKET = 'US';
const DESTINATION = 'US|10001';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const byTestId = (id) => `[data-testid="${id}"]`;



/** A fresh browser context (its own cookies and storage) on `path`, the app started. */
async function open(path, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport });
  await rememberDestination(context, DESTINATION);
  const page = await context.newPage();
  const problems = watch(page, [401, 409, 422]);
  await page.goto(url(path));
  await waitForApp(page);
  return { context, page, problems };
}


async function getJson(path) {
  const r = await fetch(url(path));
  assert.equal(r.status, 200, `GET ${path}`);
  return r.json();
}

/** The sellers this file may edit, from the end (see demoSellers). */
async function sellersFromTheEnd() {
  const ids = await demoSellers();
  assert.ok(ids.length >= 5, `demo sellers: ${ids}`);
  return ids.slice(3).reverse();
}

/** Listings of `sellers` whose stock in the market sits in exactly two of its
 *  warehouses, each with units on hand. */
async function twoWarehouseListings(sellers, names) {
  const out = [];
  for (const mode of ['platform_local', 'semi_managed']) {
    for (let page = 1; page <= 30; page++) {
      const body = await getJson(`/api/listings?market=${MARKET}&mode=${mode}&per_page=100&page=${page}`);
      for (const l of body.items) {
        const stocked = l.stock.filter((s) => s.quantity > 0 && names.get(s.warehouse)?.market === MARKET);
        if (stocked.length === 2 && sellers.includes(l.seller.id)) out.push(l);
      }
      if (body.items.length < 100) break;
    }
  }
  return out;
}

/** The listing page's route table: every row's warehouse, window and note, and the row
 *  the platform chose — as the shopper sees them. */
async function routesOnListingPage(id) {
  const { context, page, problems } = await open(`/listing/${id}`);
  try {
    await page.waitForSelector(`${byTestId('route-row')}[data-chosen="true"], ${byTestId('listing-unavailable')}`);
    const rows = await page.$$eval(byTestId('route-row'), (trs) =>
      trs.map((tr) => ({
        // The warehouse's name: the header's own text, without the city under it.
        from: [...tr.querySelector('th').childNodes]
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .map((n) => n.textContent)
          .join('')
          .trim(),
        window: tr.querySelector('[data-testid="route-window"]').textContent.trim(),
        note: tr.querySelector('.route-note').textContent.trim(),
        chosen: tr.dataset.chosen === 'true',
      })),
    );
    const promise = await page
      .$eval(byTestId('listing-window'), (e) => e.textContent.trim())
      .catch(() => null);
    assert.deepEqual(problems, [], `listing ${id}`);
    return { rows, chosen: rows.find((r) => r.chosen) ?? null, promise };
  } finally {
    await context.close();
  }
}

/** Opens a SKU in the panel and waits for its stock section. */
async function openSku(page, id) {
  await page.goto(url(`/seller?sku=${id}&market=${MARKET}`));
  await waitForApp(page);
  await page.waitForSelector(byTestId('stock-table'));
  await page.waitForSelector(byTestId('inbound'));
}

/** Types `units` as the on-hand count of `warehouse` and saves. */
async function setStock(page, warehouse, units) {
  const input = `${byTestId('stock-row')}[data-warehouse="${warehouse}"] ${byTestId('stock-input')}`;
  await page.fill(input, String(units));
  await page.click(byTestId('save'));
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="save-status"]')?.textContent.startsWith('Saved'),
  );
}

test('a warehouse runs out → the storefront’s estimate moves to the next route', async () => {
  const network = await getJson('/api/network');
  const names = new Map(network.warehouses.map((w) => [w.id, w]));
  const sellers = await sellersFromTheEnd();
  const candidates = await twoWarehouseListings(sellers, names);
  assert.ok(candidates.length > 0, `no listing of ${sellers} has stock in two ${MARKET} warehouses`);

  // A listing whose promise to New York ships from one of its two warehouses, the other
  // promising a different window: the shopper's estimate has somewhere to move to.
  let pick = null;
  for (const l of candidates.slice(0, 12)) {
    const before = await routesOnListingPage(l.id);
    if (!before.chosen || !before.promise) continue;
    const stocked = l.stock
      .filter((s) => s.quantity > 0 && names.get(s.warehouse)?.market === MARKET)
      .map((s) => s.warehouse);
    const a = stocked.find((w) => names.get(w).name === before.chosen.from);
    const b = stocked.find((w) => w !== a);
    if (!a || !b) continue;
    const other = before.rows.find((r) => r.from === names.get(b).name);
    if (!other || other.window === '—' || other.window === before.chosen.window) continue;
    pick = { listing: l, from: a, to: b, before, other };
    break;
  }
  assert.ok(pick, `none of ${candidates.length} listings promises New York from one warehouse with another behind it`);
  const { listing, from, to, before, other } = pick;
  const fromName = names.get(from).name;
  const toName = names.get(to).name;

  const { context, page, problems } = await open('/seller');
  try {
    await signIn(page, listing.seller.id);
    await openSku(page, listing.id);
    const row = `${byTestId('stock-row')}[data-warehouse="${from}"]`;
    const onHand = await page.inputValue(`${row} ${byTestId('stock-input')}`);
    assert.ok(Number(onHand) > 0, `${from} holds ${onHand}`);
    assert.equal(await page.textContent(`${row} td[data-label="Reserved"]`), '0', `nothing reserved at ${from}`);

    await setStock(page, from, 0);
    assert.equal(await page.inputValue(`${row} ${byTestId('stock-input')}`), '0');

    // The storefront: the promise now ships from the other warehouse, with its window.
    const afterRun = await routesOnListingPage(listing.id);
    assert.ok(afterRun.chosen, `listing ${listing.id} still ships to ${DESTINATION}`);
    assert.equal(afterRun.chosen.from, toName, `ships from ${toName} once ${fromName} is out`);
    assert.equal(afterRun.chosen.window, other.window, `${toName}'s window, as the page showed it before`);
    assert.notEqual(afterRun.chosen.window, before.chosen.window, 'the window moved');
    assert.notEqual(afterRun.promise, before.promise, 'the promise at the top of the page moved');
    const ranOut = afterRun.rows.find((r) => r.from === fromName);
    assert.ok(!ranOut || (!ranOut.chosen && ranOut.window === '—'), `${fromName}: ${JSON.stringify(ranOut)}`);

    // Put the stock back: the promise comes back to the first warehouse.
    await setStock(page, from, onHand);
    const back = await routesOnListingPage(listing.id);
    assert.equal(back.chosen?.from, fromName);
    assert.equal(back.chosen?.window, before.chosen.window);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('announce a sea shipment, see it listed, withdraw it from a stale tab, see both in the history', async () => {
  const [, , seller] = await sellersFromTheEnd();
  const a = await open('/seller');
  const b = await open('/seller', PHONE);
  try {
    await signIn(a.page, seller);
    await signIn(b.page, seller);
    const mine = await a.page.evaluate(async (m) => {
      const r = await fetch(`/api/seller/listings?market=${m}&per_page=20`);
      return (await r.json()).items.map((i) => i.id);
    }, MARKET);
    assert.ok(mine.length > 0, `${seller} sells in ${MARKET}`);
    const id = mine[mine.length - 1];
    await openSku(a.page, id);
    await openSku(b.page, id);
    await a.page.waitForSelector(`${byTestId('inbound-warehouse')} option:not([value=""])`, { state: 'attached' });
    const before = await a.page.$$eval(byTestId('shipment'), (s) => s.length);

    // Nothing typed: each field says what it needs, beside it, and nothing is sent.
    const choices = await a.page.$$eval(`${byTestId('inbound-warehouse')} option:not([value=""])`, (os) =>
      os.map((o) => ({ id: o.value, label: o.textContent.trim() })),
    );
    assert.ok(choices.length >= 3, `the ${MARKET} platform warehouses at least: ${JSON.stringify(choices)}`);
    await a.page.click(byTestId('announce'));
    assert.match(await a.page.textContent(byTestId('inbound-warehouse-error')), /Choose the warehouse/);
    assert.equal(await a.page.evaluate(() => document.activeElement?.id), 'inbound-warehouse');
    const warehouse = choices.at(-1);
    await a.page.selectOption(byTestId('inbound-warehouse'), warehouse.id);
    await a.page.fill(byTestId('inbound-quantity'), '0');
    await a.page.click(byTestId('announce'));
    assert.match(await a.page.textContent(byTestId('inbound-quantity-error')), /at least 1 unit/);
    assert.match(await a.page.textContent(byTestId('inbound-eta-error')), /Choose the day it arrives/);

    // A month from now (a date, as the date picker gives it).
    const eta = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const quantity = String(300 + Math.floor(Math.random() * 600));
    await a.page.fill(byTestId('inbound-quantity'), quantity);
    await a.page.fill(byTestId('inbound-eta'), eta);

    // What the server refuses shows beside the field it names, in its words.
    await a.page.route(`**/api/seller/listings/${id}/inbound`, (route) =>
      route.fulfill({
        status: 422,
        contentType: 'application/json',
        body: JSON.stringify({
          error: {
            code: 'unprocessable_entity',
            message: 'the ETA is more than 366 days away: announce the shipment when it sails',
            field: 'eta',
          },
        }),
      }),
    );
    await a.page.click(byTestId('announce'));
    await a.page.waitForFunction(() =>
      document.querySelector('[data-testid="inbound-eta-error"]')?.textContent.startsWith('The ETA is more than 366 days'),
    );
    assert.equal(await a.page.evaluate(() => document.activeElement?.id), 'inbound-eta');
    assert.equal(await a.page.getAttribute(byTestId('inbound-eta'), 'aria-invalid'), 'true');
    await a.page.unroute(`**/api/seller/listings/${id}/inbound`);

    // Announce: it is listed under its warehouse, the stock table counts it, the
    // version moves on.
    const version = async (p) => Number((await p.textContent('.sku-facts')).match(/version (\d+)/)[1]);
    const v0 = await version(a.page);
    await a.page.click(byTestId('announce'));
    await a.page.waitForFunction(() =>
      document.querySelector('[data-testid="inbound-status"]')?.textContent.startsWith('Announced'),
    );
    const line = a.page.locator(byTestId('shipment')).filter({ hasText: `${quantity} units · arriving` });
    await line.waitFor();
    const listed = await line.locator(byTestId('shipment-text')).textContent();
    assert.match(listed, new RegExp(`^${quantity} units · arriving \\w{3} \\d{1,2} \\w{3}( \\d{4})? \\(in (29|30|31) days\\)$`));
    assert.equal(await a.page.$$eval(byTestId('shipment'), (s) => s.length), before + 1);
    assert.equal(await version(a.page), v0 + 1);
    assert.match(
      await a.page.textContent(`${byTestId('stock-row')}[data-warehouse="${warehouse.id}"] ${byTestId('stock-inbound')}`),
      new RegExp(`\\d+ units`),
    );
    assert.equal(await a.page.inputValue(byTestId('inbound-quantity')), '', 'the form is ready for the next one');
    await a.page.waitForSelector(`${byTestId('audit-entry')}[data-kind="inbound"]`);
    assert.deepEqual(await findings(a.page, '.stock-section'), [], 'a shipment listed, the form below it (1440 px)');

    for (const [name, viewport] of [['1440', DESKTOP], ['375', PHONE]]) {
      await a.page.setViewportSize(viewport);
      await a.page.locator(byTestId('inbound')).scrollIntoViewIfNeeded();
      await a.page.locator('.stock-section').screenshot({ path: `${shotsDir}/seller-inbound-${name}.png` });
      const overflow = await a.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px at ${name} px`);
    }
    await a.page.setViewportSize(DESKTOP);

    // The other tab still has the old version: its first write is refused, and it
    // shows the SKU as it is now, the new shipment included.
    await b.page.selectOption(byTestId('inbound-warehouse'), warehouse.id);
    await b.page.fill(byTestId('inbound-quantity'), '5');
    await b.page.fill(byTestId('inbound-eta'), eta);
    await b.page.click(byTestId('announce'));
    await b.page.waitForFunction(() =>
      /changed meanwhile/.test(document.querySelector('[data-testid="inbound-status"]')?.textContent ?? ''),
    );
    assert.equal(await version(b.page), v0 + 1);
    const bLine = b.page.locator(byTestId('shipment')).filter({ hasText: listed });
    await bLine.waitFor();

    // Withdraw asks first; "Keep it" keeps it.
    await bLine.locator(byTestId('withdraw')).click();
    await bLine.locator(byTestId('withdraw-confirm')).waitFor();
    assert.match(await bLine.locator(byTestId('withdraw-confirm')).textContent(), new RegExp(`Withdraw the shipment of ${quantity} units`));
    await b.page.waitForFunction(() => document.activeElement?.dataset.testid === 'withdraw-yes');
    assert.deepEqual(await findings(b.page, '.stock-section'), [], 'the question before withdrawing (375 px)');
    await bLine.locator(byTestId('withdraw-keep')).click();
    assert.equal(await bLine.count(), 1);
    await bLine.locator(byTestId('withdraw')).click();
    await bLine.locator(byTestId('withdraw-yes')).click();
    await b.page.waitForFunction(() =>
      document.querySelector('[data-testid="inbound-status"]')?.textContent.startsWith('Withdrawn'),
    );
    await bLine.waitFor({ state: 'detached' });
    assert.equal(await b.page.$$eval(byTestId('shipment'), (s) => s.length), before);
    assert.equal(await version(b.page), v0 + 2);

    // Both are in the SKU's history, newest first: removed, then added.
    await b.page.waitForFunction(
      () => document.querySelectorAll('[data-testid="audit-entry"][data-kind="inbound"]').length >= 2,
    );
    const history = await b.page.$$eval(`${byTestId('audit-entry')}[data-kind="inbound"]`, (es) =>
      es.slice(0, 2).map((e) => e.textContent),
    );
    assert.match(history[0], new RegExp(`Removed by you[\\s\\S]*quantity: ${quantity}`));
    assert.match(history[1], new RegExp(`Added by you[\\s\\S]*quantity: ${quantity}`));
    // What the server holds agrees.
    const now = await b.page.evaluate(async (sku) => (await fetch(`/api/seller/listings/${sku}`)).json(), id);
    assert.equal(now.version, v0 + 2);
    assert.ok(!now.stock.some((s) => s.inbound.some((i) => i.quantity === Number(quantity))));
    assert.deepEqual(a.problems, []);
    assert.deepEqual(b.problems, []);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});
