// The storefront (/, /listing/{id}, /cart) in Chromium, used the way a shopper uses it.
// Run against a server with the demo catalog (scripts/with-server.sh sets E2E_BASE_URL).
// Screenshots of home, listing and cart at 375 and 1440 px go to
// $E2E_SHOTS (default .test-output/screenshots).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launchBrowser, openPage, rememberDestination, url, waitForApp } from './helpers.mjs';

const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1440, height: 900 };
const shotsDir = process.env.E2E_SHOTS ?? '.test-output/screenshots';
mkdirSync(shotsDir, { recursive: true });

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

/** Sets the header's destination picker to `market` + `postal` and waits for it to close. */
async function setDestination(page, market, postal) {
  await page.click(byTestId('dest-toggle'));
  await page.selectOption(byTestId('dest-market'), market);
  await page.fill(byTestId('dest-postal'), postal);
  await page.click(byTestId('dest-save'));
  await page.waitForSelector(`${byTestId('dest-form')}[hidden]`, { state: 'attached' });
}

/** Opens `path` with the destination remembered as `market|postal`, and waits for the app. */
async function openAt(path, dest = 'US|10001', viewport = DESKTOP) {
  const context = await browser.newContext({ viewport });
  await rememberDestination(context, dest);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  await page.goto(url(path));
  await waitForApp(page);
  return { context, page, problems };
}

/** Windows of the cards on the page: id → "earliest..latest". */
async function cardWindows(page) {
  return page.$$eval(`${byTestId('listing-card')}`, (cards) =>
    Object.fromEntries(
      cards.map((c) => {
        const w = c.querySelector('[data-testid="card-window"]');
        return [c.dataset.listingId, w ? `${w.dataset.earliest}..${w.dataset.latest}` : null];
      }),
    ),
  );
}

test('search, filter, open a listing, change the postal code, add to cart, see totals', async () => {
  const { context, page, problems } = await openAt('/');
  try {
    let listingRequests = 0;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/listings') listingRequests++;
    });
    await page.waitForSelector(byTestId('card-window'));
    // Search, then filter to the platform's local warehouses.
    await page.fill(byTestId('search-input'), 'phone');
    await page.click(byTestId('search-submit'));
    await page.waitForFunction(() => location.search.includes('q=phone'));
    await page.selectOption(byTestId('filter-mode'), 'platform_local');
    await page.waitForFunction(() => location.search.includes('mode=platform_local'));
    await page.waitForSelector(byTestId('card-window'));
    assert.match(await page.locator(byTestId('result-count')).textContent(), /of \d+ listing/);

    // A new postal code re-estimates the cards in the browser, without fetching them again.
    const before = await cardWindows(page);
    const requests = listingRequests;
    await setDestination(page, 'US', '90012');
    const moved = await page.waitForFunction(
      (old) => {
        const cards = [...document.querySelectorAll('[data-testid="listing-card"]')];
        const changed = cards.find((c) => {
          const w = c.querySelector('[data-testid="card-window"]');
          const now = w ? `${w.dataset.earliest}..${w.dataset.latest}` : null;
          return now !== old[c.dataset.listingId];
        });
        return changed?.dataset.listingId;
      },
      before,
      { timeout: 5_000 },
    );
    const id = await moved.jsonValue();
    assert.equal(listingRequests, requests, 'no listings were fetched again');
    assert.match(await page.locator(byTestId('dest-summary')).textContent(), /90012/);
    const cardWindow = (await cardWindows(page))[id];

    // Open that listing: the same window as its card, every route side by side.
    await page.click(`${byTestId('listing-card')}[data-listing-id="${id}"] a`);
    await page.waitForSelector(byTestId('listing-window'));
    assert.equal(new URL(page.url()).pathname, `/listing/${id}`);
    const [earliest, latest] = cardWindow.split('..');
    assert.ok((await page.locator(byTestId('route-row')).count()) >= 1);
    assert.equal(await page.locator(`${byTestId('route-row')}[data-chosen="true"]`).count(), 1);
    assert.ok((await page.locator(byTestId('plan-sentence')).textContent()).length > 10);
    assert.match(await page.locator(byTestId('countdown')).textContent(), /^Order within .+ to get it by /);
    const jsonLd = JSON.parse(await page.locator(byTestId('json-ld')).textContent());
    assert.equal(jsonLd['@type'], 'Product');
    assert.equal(jsonLd.offers.shippingDetails['@type'], 'OfferShippingDetails');
    const windowLA = await page.locator(byTestId('listing-window')).textContent();
    assert.ok(windowLA.length > 4, `${earliest}..${latest}`);

    // Back to New York: the listing's window changes.
    await setDestination(page, 'US', '10001');
    await page.waitForFunction(
      (old) => document.querySelector('[data-testid="listing-window"]')?.textContent !== old,
      windowLA,
      { timeout: 5_000 },
    );

    // Add two to the cart and check the totals.
    await page.fill(byTestId('qty'), '2');
    await page.click(byTestId('add-to-cart'));
    await page.waitForSelector(`${byTestId('added')} a`);
    assert.equal((await page.locator(byTestId('cart-count')).textContent()).trim(), '2');
    await page.click(`${byTestId('added')} a`);
    await page.waitForSelector(byTestId('totals'));
    assert.equal(await page.locator(byTestId('cart-line')).count(), 1);
    assert.equal((await page.locator(byTestId('line-qty')).textContent()).trim(), '2');
    assert.ok((await page.locator(byTestId('shipment')).count()) >= 1);
    for (const id of ['total-items', 'total-delivery', 'total-duty', 'total-vat', 'total']) {
      assert.match(await page.locator(byTestId(id)).textContent(), /\d|Free/, id);
    }
    assert.equal(await page.locator(byTestId('cart-error')).count(), 0);
    // One more unit: the line total follows.
    const total = await page.locator(byTestId('total')).textContent();
    await page.click(byTestId('qty-plus'));
    await page.waitForFunction(
      (old) => document.querySelector('[data-testid="total"]')?.textContent !== old,
      total,
    );
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a bad postal code gets the market\'s message and changes nothing', async () => {
  const { context, page } = await openAt('/', 'US|10001', PHONE);
  try {
    await page.waitForSelector(byTestId('card-window'));
    await page.click(byTestId('dest-toggle'));
    await page.selectOption(byTestId('dest-market'), 'US');
    await page.fill(byTestId('dest-postal'), 'ABC');
    await page.click(byTestId('dest-save'));
    await page.waitForFunction(() => document.querySelector('[data-testid="dest-error"]')?.textContent.includes('ABC'));
    assert.equal(await page.getAttribute(byTestId('dest-postal'), 'aria-invalid'), 'true');
    assert.match(await page.locator(byTestId('dest-summary')).textContent(), /10001/);
    assert.equal(await page.evaluate(() => localStorage.getItem('crossdock.destination')), 'US|10001');
    await shot(page, 'storefront-bad-postal-375');
  } finally {
    await context.close();
  }
});

test('searches on the home page move within the page; back and forward follow them without a reload', async () => {
  const { context, page, problems } = await openAt('/');
  try {
    await page.waitForSelector(byTestId('card-window'));
    await page.evaluate(() => { window.__sameDocument = true; });
    await page.fill(byTestId('search-input'), 'lamp');
    await page.click(byTestId('search-submit'));
    await page.waitForFunction(() => location.search === '?q=lamp');
    await page.waitForFunction(() => document.title === 'lamp · Crossdock');
    await page.goBack();
    await page.waitForFunction(() => location.search === '' && document.title.startsWith('Crossdock'));
    assert.equal(await page.inputValue(byTestId('search-input')), '');
    await page.goForward();
    await page.waitForFunction(() => location.search === '?q=lamp');
    await page.waitForFunction(() => document.querySelector('[data-testid="search-input"]')?.value === 'lamp');
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was not loaded again');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('nothing shifts as home, listing and cart load on a phone (layout shift under 0.05)', async () => {
  for (const path of ['/', '/listing/150', '/cart']) {
    const context = await browser.newContext({ viewport: PHONE });
    await rememberDestination(context, 'US|10001');
    const page = await context.newPage();
    try {
      await page.addInitScript(() => {
        window.__shift = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
        }).observe({ type: 'layout-shift', buffered: true });
      });
      await page.goto(url(path));
      await waitForApp(page);
      await page.waitForSelector(`${byTestId('card-window')}, ${byTestId('listing-window')}, ${byTestId('totals')}, ${byTestId('cart-empty')}`);
      await page.waitForTimeout(500);
      const shift = await page.evaluate(() => window.__shift);
      assert.ok(shift < 0.05, `${path}: cumulative layout shift ${shift.toFixed(3)}`);
    } finally {
      await context.close();
    }
  }
});

test('the server stopping mid-session shows a message and a retry that recovers', async () => {
  const { context, page } = await openAt('/');
  try {
    await page.waitForSelector(byTestId('card-window'));
    await page.route('**/api/**', (route) => route.abort('connectionrefused'));
    await page.fill(byTestId('search-input'), 'lamp');
    await page.click(byTestId('search-submit'));
    await page.waitForSelector(byTestId('listings-error'));
    assert.match(await page.locator(byTestId('listings-error')).textContent(), /could not reach/i);
    await shot(page, 'storefront-server-down-1440');
    await page.unroute('**/api/**');
    await page.click(byTestId('listings-retry'));
    await page.waitForSelector(`${byTestId('listing-card')}, ${byTestId('no-results')}`);
    assert.equal(await page.locator(byTestId('listings-error')).count(), 0);
  } finally {
    await context.close();
  }
});

test('a network that fails to load is explained on the home page, and the retry recovers', async () => {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  try {
    let fail = true;
    await page.route('**/api/network', (route) =>
      fail ? route.fulfill({ status: 503, body: 'down' }) : route.continue(),
    );
    await page.goto(url('/'));
    await page.waitForSelector(byTestId('network-error'));
    fail = false;
    await page.click(byTestId('network-retry'));
    await page.waitForSelector(byTestId('card-window'));
    assert.equal(await page.locator(byTestId('network-error')).count(), 0);
  } finally {
    await context.close();
  }
});

test('an unknown listing shows the 404 page', async () => {
  const { context, page } = await openAt('/listing/999999999');
  try {
    await page.waitForSelector(byTestId('not-found'));
  } finally {
    await context.close();
  }
});

test('for 50 random listings the browser\'s window equals POST /api/quote\'s', async () => {
  const { context, page } = await openAt('/', 'US|10001');
  try {
    const seen = [];
    let zone;
    for (const p of [1, 2, 3, 4]) {
      await page.goto(url(p === 1 ? '/' : `/?page=${p}`));
      await page.waitForSelector(byTestId('card-window'));
      zone = await page.getAttribute(byTestId('listing-grid'), 'data-zone');
      const minute = Math.floor(Date.now() / 60_000) * 60_000;
      for (const [id, w] of Object.entries(await cardWindows(page))) {
        if (w) seen.push({ id: Number(id), w, minute });
      }
    }
    assert.ok(seen.length >= 50, `only ${seen.length} cards with a window`);
    // A seeded shuffle: the same 50 on every run of the same catalog.
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const sample = seen
      .map((x) => [rand(), x])
      .sort((a, b) => a[0] - b[0])
      .slice(0, 50)
      .map(([, x]) => x);
    const byMinute = new Map();
    for (const x of sample) byMinute.set(x.minute, [...(byMinute.get(x.minute) ?? []), x]);
    let compared = 0;
    for (const [minute, lines] of byMinute) {
      const res = await fetch(url('/api/quote'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          market: 'US',
          zone,
          now: new Date(minute).toISOString().replace('.000Z', 'Z'),
          lines: lines.map((x) => ({ listing_id: x.id, quantity: 1 })),
        }),
      });
      assert.equal(res.status, 200, await res.clone().text());
      const body = await res.json();
      for (const x of lines) {
        const line = body.lines.find((l) => l.listing_id === x.id);
        const w = line.quote.plan?.window;
        assert.equal(w ? `${w.earliest}..${w.latest}` : null, x.w, `listing ${x.id}`);
        compared++;
      }
    }
    assert.equal(compared, 50);
  } finally {
    await context.close();
  }
});

test('screenshots of home, listing and cart at 375 and 1440 px', async () => {
  for (const [name, viewport] of [
    ['1440', DESKTOP],
    ['375', PHONE],
  ]) {
    const { context, page, problems } = await openAt('/', 'US|10001', viewport);
    try {
      await page.waitForSelector(byTestId('card-window'));
      await shot(page, `storefront-home-${name}`);
      const first = page.locator(`${byTestId('listing-card')}:has(${byTestId('card-window')}) a`).first();
      await first.click();
      await page.waitForSelector(byTestId('listing-window'));
      await shot(page, `storefront-listing-${name}`);
      await page.click(byTestId('add-to-cart'));
      await page.goto(url('/cart'));
      await page.waitForSelector(byTestId('totals'));
      await shot(page, `storefront-cart-${name}`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  }
});
