// Partner embeds (public/embed.js, /embed/...) in Chromium, across two origins: the
// Crossdock server under test (E2E_BASE_URL, on 127.0.0.1) and a partner site this file
// starts (scripts/partner-demo.mjs, on localhost: another origin and another site).
// Screenshots of the demo partner page go to $E2E_SHOTS (default .test-output/screenshots).
//
// A frame from another site gets no storage in these browser contexts (third-party
// cookies are blocked, as in an incognito window), so on the partner's site the reader
// picks a destination in an embed and the page's other embeds follow; the storefront's own
// saved destination reaches an embed only on a partner of the same site (127.0.0.1 on
// another port: the last test).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { baseURL, launchBrowser, url, waitForApp } from './helpers.mjs';
import { startPartnerDemo } from '../../scripts/partner-demo.mjs';

const shotsDir = process.env.E2E_SHOTS ?? '.test-output/screenshots';
mkdirSync(shotsDir, { recursive: true });
const byTestId = (id) => `[data-testid="${id}"]`;
const FRAME = 'iframe[data-crossdock-frame]';

let browser;
let partner;
before(async () => {
  browser = await launchBrowser();
  partner = await startPartnerDemo({ crossdock: baseURL, port: 0 });
});
after(async () => {
  await browser?.close();
  await partner?.close();
});

/**
 * A page of the partner's site (`path` on `site`, the partner's origin by default), in
 * `context` or a fresh one. `problems` collects page errors, console errors and CSP
 * violations of the page and its frames; `requests` every URL any frame asked for.
 */
async function openPartner(
  path = '/',
  { site = partner.url, context: given, viewport = { width: 1000, height: 800 } } = {},
) {
  const context = given ?? (await browser.newContext({ viewport }));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${site}${path}`);
  return { context, page, problems, requests };
}

/** Puts embeds on a blank partner page: `html` (the partner's elements), then the script. */
async function partnerWith(html, options) {
  const opened = await openPartner('/blank', options);
  await opened.page.evaluate(
    ({ html, src }) => {
      document.querySelector('main').insertAdjacentHTML('beforeend', html);
      const s = document.createElement('script');
      s.src = src;
      document.body.appendChild(s);
    },
    { html, src: url('/public/embed.js') },
  );
  return opened;
}

/** The embed frames of `page`, in page order, once `count` of them show a card or a message. */
async function embedFrames(page, count) {
  await page.waitForFunction((n) => document.querySelectorAll('iframe[data-crossdock-frame]').length >= n, count);
  const frames = [];
  for (let i = 0; i < count; i++) {
    const handle = await page.locator(FRAME).nth(i).elementHandle();
    const frame = await handle.contentFrame();
    await frame.waitForSelector(`${byTestId('embed-card')}, ${byTestId('embed-not-sold')}`, { timeout: 20_000 });
    frames.push({ handle, frame });
  }
  return frames;
}

/** Sets the destination in an embed's compact picker, the way a reader does. */
async function pickDestination(frame, market, postal) {
  if ((await frame.locator(`${byTestId('embed-dest-form')}[hidden]`).count()) > 0) {
    await frame.click(byTestId('embed-dest-change'));
  }
  await frame.selectOption(byTestId('embed-dest-market'), market);
  await frame.fill(byTestId('embed-dest-postal'), postal);
  await frame.click(byTestId('embed-dest-save'));
  await frame.waitForSelector(`${byTestId('embed-dest-form')}[hidden]`, { state: 'attached' });
}

/** Waits until an embed says it delivers to `text` ("US 90012"). */
async function deliversTo(frame, text) {
  await frame.waitForFunction(
    (t) => document.querySelector('[data-testid="embed-dest"]')?.textContent.includes(t) &&
      !document.querySelector('[data-testid="embed-dest-line"]')?.hidden,
    text,
  );
}

/** The storefront's cards for `path` on Crossdock itself, with `market`+`postal` picked in
 * its header (in `context`): listing id → "earliest..latest price". */
async function storefrontCards(context, path, market, postal) {
  const store = await context.newPage();
  await store.goto(url(path));
  await waitForApp(store);
  await store.click(byTestId('dest-toggle'));
  await store.selectOption(byTestId('dest-market'), market);
  await store.fill(byTestId('dest-postal'), postal);
  await store.click(byTestId('dest-save'));
  await store.waitForFunction(
    (p) => document.querySelector('[data-testid="dest-summary"]')?.textContent.includes(p),
    postal,
  );
  await store.waitForSelector(byTestId('card-window'));
  // Re-estimated for the new destination (same minute, same engine).
  await store.waitForTimeout(200);
  const cards = await windows(store, byTestId('listing-card'));
  await store.close();
  return new Map(cards);
}

/** Waits until the frame element is exactly as tall as the embed's content. */
async function sizedToContent(page, { handle, frame }) {
  const content = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  await page.waitForFunction(
    ({ el, h }) => el.getBoundingClientRect().height === h,
    { el: handle, h: content },
    { timeout: 5_000 },
  );
  return content;
}

/** The cards in a frame (or page), in order: [listing id, "earliest..latest price"]. */
async function windows(frameOrPage, cardSelector) {
  return frameOrPage.$$eval(cardSelector, (cards) =>
    cards.map((c) => {
      const w = c.querySelector('[data-testid="card-window"]');
      const price = c.querySelector('[data-testid="card-price"]')?.textContent;
      return [c.dataset.listingId, `${w ? `${w.dataset.earliest}..${w.dataset.latest}` : null} ${price}`];
    }),
  );
}

test('embed.js stays under 5 KB gzip', async () => {
  const response = await fetch(url('/public/embed.js'));
  assert.equal(response.status, 200);
  const body = Buffer.from(await response.arrayBuffer());
  const gz = gzipSync(body, { level: 9 }).length;
  console.log(`embed.js: ${body.length} bytes, ${gz} bytes gzip`);
  assert.ok(gz < 5000, `${gz} bytes gzip`);
});

test('the demo partner page frames three listings and a search grid from Crossdock, each sized to its content', async () => {
  const { context, page, problems, requests } = await openPartner('/');
  try {
    assert.equal(new URL(page.url()).origin, partner.url);
    assert.notEqual(partner.url, baseURL);
    // Lazy: the two listings near the top are framed, the rest wait below the fold.
    const top = await embedFrames(page, 2);
    assert.equal(
      await page.locator('[data-crossdock-listing="633"][data-crossdock-state="waiting"]').count(),
      1,
      'the third listing waits until it scrolls near',
    );
    // A reader new to Crossdock: prices in dollars (an en-US browser), windows for the US
    // market's default area, and the compact picker open.
    await top[0].frame.waitForSelector(byTestId('card-window'));
    assert.match(await top[0].frame.locator(byTestId('card-price')).textContent(), /^\$\d/);
    assert.equal(await top[0].frame.locator(`${byTestId('embed-dest-form')}:not([hidden])`).count(), 1);
    const links = await top[0].frame.$$eval('a[href*="/listing/"]', (as) =>
      as.map((a) => [a.getAttribute('href'), a.target, a.rel]),
    );
    assert.deepEqual(links[0], ['/listing/381?ref=gadget-desk', '_blank', 'noopener']);
    assert.equal(await top[1].frame.evaluate(() => document.documentElement.dataset.theme), 'dark');

    // The reader picks New York in the first embed: the second follows at once, and the
    // embeds framed later (scrolled to) start with it.
    await pickDestination(top[0].frame, 'US', '10001');
    await deliversTo(top[0].frame, 'US 10001');
    await deliversTo(top[1].frame, 'US 10001');
    await page.evaluate(() => {
      document.querySelector('[data-crossdock-listing="633"]').scrollIntoView();
    });
    await embedFrames(page, 3);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const all = await embedFrames(page, 4);
    assert.equal(await page.locator('[data-crossdock-listing], [data-crossdock-search]').count(), 0);
    for (const f of all) {
      assert.equal(new URL(f.frame.url()).origin, baseURL, 'the frame is Crossdock');
      await deliversTo(f.frame, 'US 10001');
      await f.frame.waitForSelector(byTestId('card-window'));
      const height = await sizedToContent(page, f);
      assert.ok(height > 100, `${height}`);
    }
    // Three listings (one card each) and a grid of six.
    for (const { frame } of all.slice(0, 3)) {
      assert.equal(await frame.locator(byTestId('embed-card')).count(), 1);
    }
    assert.equal(await all[3].frame.locator(byTestId('embed-card')).count(), 6);

    // The content grows (the destination form opens): the frame follows.
    const before = await sizedToContent(page, all[2]);
    await all[2].frame.click(byTestId('embed-dest-change'));
    const grown = await sizedToContent(page, all[2]);
    assert.ok(grown > before, `${grown} > ${before}`);

    // Viewport shots: a full-page shot leaves the (out-of-process) frames blank.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${shotsDir}/embed-partner-demo-top.png` });
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.screenshot({ path: `${shotsDir}/embed-partner-demo-bottom.png` });
    const seller = requests.filter((r) => new URL(r).pathname.startsWith('/api/seller'));
    assert.deepEqual(seller, [], 'an embed never calls the seller API');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("an embed's delivery window and price equal the storefront card's for the same destination", async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const storefront = await storefrontCards(context, '/?q=desk%20lamp', 'US', '90012');
    const ids = [...storefront.keys()];
    assert.ok(ids.length >= 6, `${ids.length} cards`);

    // The same search and three of its listings, embedded on the partner's site, where
    // the reader picks the same destination.
    const { page, problems } = await partnerWith(
      `<div data-crossdock-search="desk lamp"></div>` +
        ids
          .slice(1, 4)
          .map((id) => `<div data-crossdock-listing="${id}"></div>`)
          .join(''),
      { context },
    );
    const frames = await embedFrames(page, 4);
    await pickDestination(frames[0].frame, 'US', '90012');
    for (const { frame } of frames) {
      await deliversTo(frame, 'US 90012');
      await frame.waitForSelector(byTestId('card-window'));
    }
    const grid = await windows(frames[0].frame, byTestId('embed-card'));
    assert.deepEqual(
      grid.map(([id]) => id),
      ids.slice(0, 6),
      'the grid shows the storefront’s first six, in its order',
    );
    for (const [id, line] of grid) assert.equal(line, storefront.get(id), `listing ${id}`);
    for (const { frame } of frames.slice(1)) {
      for (const [id, line] of await windows(frame, byTestId('embed-card'))) {
        assert.equal(line, storefront.get(id), `listing ${id}`);
      }
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a reader with no destination picks one in an embed, and every embed on the page follows', async () => {
  const { context, page, problems } = await partnerWith(
    '<div data-crossdock-listing="181"></div><div data-crossdock-listing="381"></div>',
  );
  try {
    const [a, b] = await embedFrames(page, 2);
    // No destination yet: the compact picker is open, the windows are for the market's
    // default area.
    for (const { frame } of [a, b]) {
      assert.equal(await frame.locator(`${byTestId('embed-dest-form')}:not([hidden])`).count(), 1);
      await frame.waitForSelector(byTestId('card-window'));
    }
    const [[, before]] = await windows(b.frame, byTestId('embed-card'));
    await a.frame.selectOption(byTestId('embed-dest-market'), 'US');
    await a.frame.fill(byTestId('embed-dest-postal'), 'ABC');
    await a.frame.click(byTestId('embed-dest-save'));
    assert.match(await a.frame.locator(byTestId('embed-dest-error')).textContent(), /ABC/);
    await a.frame.fill(byTestId('embed-dest-postal'), '90012');
    await a.frame.click(byTestId('embed-dest-save'));
    await deliversTo(a.frame, 'US 90012');
    // The other embed follows without a reload, and re-estimates for Los Angeles.
    await deliversTo(b.frame, 'US 90012');
    assert.equal(await b.frame.locator(`${byTestId('embed-dest-form')}:not([hidden])`).count(), 0);
    await b.frame.waitForFunction(
      (old) => {
        const w = document.querySelector('[data-testid="card-window"]');
        return w && `${w.dataset.earliest}..${w.dataset.latest}` !== old;
      },
      before.split(' ')[0],
    );
    await sizedToContent(page, a);
    await sizedToContent(page, b);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("another site cannot frame Crossdock's pages: the seller panel, the home page, a listing, the docs", async () => {
  const { context, page, problems } = await openPartner('/blank');
  try {
    const paths = ['/seller', '/', '/listing/181', '/embed'];
    await page.evaluate(
      ({ base, paths }) => {
        for (const p of paths) {
          const f = document.createElement('iframe');
          f.src = base + p;
          document.querySelector('main').appendChild(f);
        }
        const ok = document.createElement('iframe');
        ok.src = `${base}/embed/listing/181`;
        ok.id = 'allowed';
        document.querySelector('main').appendChild(ok);
      },
      { base: baseURL, paths },
    );
    await page.waitForFunction(
      (n) => [...document.querySelectorAll('iframe')].length === n,
      paths.length + 1,
    );
    // Each refused frame shows the browser's error page; the embed route renders.
    const allowed = await (await page.$('#allowed')).contentFrame();
    await allowed.waitForSelector(byTestId('embed-card'));
    const deadline = Date.now() + 10_000;
    let blocked = [];
    while (Date.now() < deadline) {
      blocked = page.frames().filter((f) => f.url().startsWith('chrome-error://'));
      if (blocked.length === paths.length) break;
      await page.waitForTimeout(100);
    }
    assert.equal(blocked.length, paths.length, page.frames().map((f) => f.url()).join(', '));
    const rendered = page.frames().filter((f) => f.url().startsWith(baseURL));
    assert.deepEqual(
      rendered.map((f) => new URL(f.url()).pathname),
      ['/embed/listing/181'],
    );
    const refusals = problems.filter((p) => p.includes("frame-ancestors 'none'"));
    assert.equal(refusals.length, paths.length, problems.join('\n'));
    assert.deepEqual(problems.filter((p) => !refusals.includes(p)), []);

    // The headers that do it.
    for (const p of paths) {
      const response = await fetch(url(p));
      assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, p);
      assert.equal(response.headers.get('x-frame-options'), 'DENY', p);
    }
    const embed = await fetch(url('/embed/listing/181'));
    assert.match(embed.headers.get('content-security-policy') ?? '', /frame-ancestors \*$/);
    assert.equal(embed.headers.get('x-frame-options'), null);
  } finally {
    await context.close();
  }
});

test('"View on Crossdock" opens the listing with the partner reference, and clicks are counted per partner', async () => {
  const a = `e2e-a-${Date.now()}`;
  const b = `e2e-b-${Date.now()}`;
  const { context, page, problems } = await partnerWith(
    `<div data-crossdock-listing="181" data-partner="${a}"></div>` +
      `<div data-crossdock-search="kettle" data-limit="2" data-partner="${b}"></div>`,
  );
  try {
    const [listing, grid] = await embedFrames(page, 2);
    const counted = async (partnerRef) => {
      const r = await fetch(url(`/api/embed/clicks?partner=${partnerRef}`));
      assert.equal(r.status, 200);
      return (await r.json()).partners;
    };
    const waitCount = async (partnerRef, total) => {
      const deadline = Date.now() + 5_000;
      let found = [];
      while (Date.now() < deadline) {
        found = await counted(partnerRef);
        if ((found[0]?.clicks ?? 0) >= total) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.fail(`${partnerRef}: ${JSON.stringify(found)}`);
    };

    const [tab] = await Promise.all([
      context.waitForEvent('page'),
      listing.frame.click(byTestId('embed-view')),
    ]);
    await tab.waitForURL(/\/listing\/181/);
    assert.equal(tab.url(), url(`/listing/181?ref=${a}`));
    await tab.close();
    assert.deepEqual(await waitCount(a, 1), [
      { partner: a, clicks: 1, listings: [{ listing_id: 181, clicks: 1 }] },
    ]);

    // A card of the grid, for the other partner: counted for it alone.
    const first = grid.frame.locator(`${byTestId('embed-card')} a.card-link`).first();
    const gridId = Number(
      await grid.frame.locator(byTestId('embed-card')).first().getAttribute('data-listing-id'),
    );
    const [tab2] = await Promise.all([context.waitForEvent('page'), first.click()]);
    await tab2.waitForURL(/\/listing\//);
    assert.equal(tab2.url(), url(`/listing/${gridId}?ref=${b}`));
    await tab2.close();
    assert.deepEqual((await waitCount(b, 1))[0].listings, [{ listing_id: gridId, clicks: 1 }]);
    assert.equal((await counted(a))[0].clicks, 1);
    const everyone = await (await fetch(url('/api/embed/clicks'))).json();
    for (const p of [a, b]) assert.ok(everyone.partners.some((x) => x.partner === p), p);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('embed.js: lazy, once per element however many copies run, finds elements added later, leaks no globals, trusts only its frames', async () => {
  const { context, page, problems } = await openPartner('/blank');
  try {
    // Own properties of window, but for the frames' indices ("0", "1", …).
    const globals = () => page.evaluate(() => Object.keys(window).filter((k) => !/^\d+$/.test(k)));
    const globalsBefore = await globals();
    await page.evaluate((src) => {
      const main = document.querySelector('main');
      main.insertAdjacentHTML(
        'beforeend',
        '<div data-crossdock-listing="181" id="one"></div>' +
          '<div data-crossdock-listing="not-a-number" id="bad">fallback</div>' +
          '<div style="height:3000px"></div>' +
          '<div data-crossdock-listing="381" id="far"></div>',
      );
      for (let i = 0; i < 2; i++) {
        const s = document.createElement('script');
        s.src = src;
        document.body.appendChild(s);
      }
    }, url('/public/embed.js'));
    await embedFrames(page, 1);
    await page.waitForTimeout(300);
    assert.equal(await page.locator(FRAME).count(), 1, 'two copies of the script, one frame');
    assert.equal(await page.locator('#far[data-crossdock-state="waiting"]').count(), 1);
    assert.equal(await page.locator('#bad[data-crossdock-state="invalid"]').textContent(), 'fallback');

    // Added later: framed too (near the top, so at once).
    await page.evaluate(() => {
      const el = document.createElement('div');
      el.setAttribute('data-crossdock-search', 'lamp');
      el.setAttribute('data-limit', '3');
      document.querySelector('main').prepend(el);
    });
    await embedFrames(page, 2);
    // Scrolled near: the far one is framed.
    await page.locator('#far').scrollIntoViewIfNeeded();
    const frames = await embedFrames(page, 3);
    assert.equal(await page.locator(FRAME).count(), 3);

    // A size message from anyone but the frame itself is ignored.
    const f = frames[1];
    const height = await sizedToContent(page, f);
    await page.evaluate((id) => {
      window.postMessage({ type: 'crossdock:size', height: 7, id }, '*');
    }, await f.handle.getAttribute('data-crossdock-frame'));
    await page.waitForTimeout(200);
    assert.equal(Math.round((await f.handle.boundingBox()).height), height);

    const globalsAfter = await globals();
    assert.deepEqual(globalsAfter.filter((k) => !globalsBefore.includes(k)), []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the docs page at /embed: the snippet to copy and a live preview that follows the options', async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  try {
    await page.goto(url('/embed'));
    const snippet = await page.locator(byTestId('docs-snippet')).textContent();
    assert.ok(snippet.includes(`src="${baseURL}/public/embed.js"`), snippet);
    assert.ok(snippet.includes('data-crossdock-listing="181"'), snippet);
    const preview = await (await page.waitForSelector(`${byTestId('docs-preview')} iframe`)).contentFrame();
    await preview.waitForSelector(byTestId('embed-card'));
    await page.selectOption(byTestId('docs-theme'), 'dark');
    assert.match(await page.locator(byTestId('docs-snippet')).textContent(), /data-theme="dark"/);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="docs-preview"] iframe')?.src.includes('theme=dark'),
    );
    await page.waitForSelector(`${byTestId('docs-clicks')} td`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('on a partner of the same site, an embed starts with the destination saved on the storefront', async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const storefront = await storefrontCards(context, '/?q=kettle', 'US', '90012');
    const [id] = storefront.keys();
    // 127.0.0.1 on the partner's port: another origin, but the same site as Crossdock, so
    // the browser gives the frame Crossdock's own storage.
    const sameSite = partner.url.replace('//localhost:', '//127.0.0.1:');
    assert.notEqual(sameSite, baseURL);
    const { page, problems } = await partnerWith(`<div data-crossdock-listing="${id}"></div>`, {
      site: sameSite,
      context,
    });
    const [embed] = await embedFrames(page, 1);
    await deliversTo(embed.frame, 'US 90012');
    await embed.frame.waitForSelector(byTestId('card-window'));
    assert.deepEqual(await windows(embed.frame, byTestId('embed-card')), [[id, storefront.get(id)]]);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
