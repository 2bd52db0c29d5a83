// Prices and stock as a CSV file in the seller panel (/seller), in Chromium, the way a
// seller uses it: download the file, import it with mistakes (every one listed with its
// line and column, nothing applied), check the fixed file, import it with a progress bar,
// see the new price on the storefront, and import the same file again (nothing changes).
// Screenshots of the CSV section at 375 and 1440 px go to $E2E_SHOTS (default
// .test-output/screenshots).
// Run against a server with the demo catalog and seller accounts:
//   scripts/with-server.sh node --test tests/e2e/seller-csv.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { launchBrowser, url, waitForApp } from './helpers.mjs';
import { demoSellers, findings, signIn, watch } from './seller-helpers.mjs';

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

/** This test's seller: the second from the end (see demoSellers). */
async function seller() {
  const ids = await demoSellers();
  assert.ok(ids.length >= 6, `demo sellers: ${ids}`);
  return ids.at(-2);
}

/** Reads CSV text into rows of cells (quoted cells may hold commas, quotes and breaks). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const toCsv = (rows) =>
  `${rows.map((r) => r.map((c) => (/[",\n\r]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')).join('\r\n')}\r\n`;

/** Picks `rows` as the file `name` in the import form and presses `button`. */
async function importFile(page, name, rows, { checkOnly = false } = {}) {
  await page.setInputFiles(byTestId('csv-file'), { name, mimeType: 'text/csv', buffer: Buffer.from(toCsv(rows)) });
  if ((await page.isChecked(byTestId('csv-check-only'))) !== checkOnly) await page.click(byTestId('csv-check-only'));
  await page.click(byTestId('csv-import'));
}

/** Waits for the import's report to reach one of `states` and returns it. */
async function reportIn(page, states) {
  const sel = states.map((s) => `${byTestId('csv-report')}[data-state="${s}"]`).join(', ');
  await page.waitForSelector(sel, { timeout: 60_000 });
  return page.locator(byTestId('csv-report'));
}

test('a seller imports prices and stock from CSV: mistakes listed by line and column with nothing applied, then the fixed file applied once', async () => {
  const id = await seller();
  const context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
  const page = await context.newPage();
  const problems = watch(page, [401, 409, 422]);
  try {
    await page.goto(url('/seller'));
    await waitForApp(page);
    await signIn(page, id);
    await page.waitForSelector(byTestId('sku-table'));

    // The link at the top leads to the CSV section; its download is the seller's file.
    await page.click(byTestId('csv-jump'));
    await page.waitForSelector(byTestId('csv-panel'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(byTestId('csv-export'))]);
    const original = readFileSync(await download.path(), 'utf8');
    const rows = parseCsv(original);
    const [header] = rows;
    assert.deepEqual(header.slice(0, 4), ['sku', 'title', 'mode', 'version'], `header: ${header}`);
    const col = Object.fromEntries(header.map((h, i) => [h, i]));
    const priceAt = rows.findIndex((r, i) => i > 0 && r[col.market] === 'US' && r[col.mode] !== 'fully_managed' && r[col.price]);
    const stockAt = rows.findIndex((r, i) => i > 0 && r[col.warehouse] && Number(r[col.on_hand]) > 0);
    assert.ok(priceAt > 0 && stockAt > 0, 'a US price and a stocked warehouse to edit');
    const sku = rows[priceAt][col.sku];
    const stockSku = rows[stockAt][col.sku];

    // 1. Mistakes: a price that is no number and a negative stock count. Both are listed
    //    with their line (the header is line 1) and column, and nothing is applied.
    const bad = rows.map((r) => [...r]);
    bad[priceAt][col.price] = '12,3O';
    bad[stockAt][col.on_hand] = '-3';
    await importFile(page, 'prices-with-mistakes.csv', bad);
    const rejected = await reportIn(page, ['rejected']);
    assert.match(await rejected.locator('h3').textContent(), /Nothing imported/);
    const listed = await page.$$eval(byTestId('csv-problem'), (trs) =>
      trs.map((tr) => ({ line: tr.dataset.line, column: tr.dataset.column, text: tr.textContent })),
    );
    const priceProblem = listed.find((p) => p.line === String(priceAt + 1) && p.column === 'price');
    const stockProblem = listed.find((p) => p.line === String(stockAt + 1) && p.column === 'on_hand');
    assert.ok(priceProblem, `the price on line ${priceAt + 1} is listed: ${JSON.stringify(listed)}`);
    assert.ok(stockProblem, `the stock on line ${stockAt + 1} is listed: ${JSON.stringify(listed)}`);
    assert.match(priceProblem.text, new RegExp(`Line ${priceAt + 1}, column price`));
    assert.match(stockProblem.text, new RegExp(`Line ${stockAt + 1}, column on_hand`));
    const afterRejected = await (await page.request.get(url('/api/seller/catalog.csv'))).text();
    assert.equal(afterRejected, original, 'a rejected file changes nothing');

    // The report on a phone and on a desktop: readable, no sideways scroll, no axe findings.
    for (const [name, viewport] of [['375', PHONE], ['1440', DESKTOP]]) {
      await page.setViewportSize(viewport);
      await page.locator(byTestId('csv-panel')).scrollIntoViewIfNeeded();
      await page.locator(byTestId('csv-panel')).screenshot({ path: `${shotsDir}/seller-csv-problems-${name}.png` });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px at ${name} px`);
      assert.deepEqual(await findings(page, byTestId('csv-panel')), [], `axe at ${name} px`);
    }
    await page.setViewportSize(DESKTOP);

    // 2. The fixed file: the price one unit up, the stock count five more. Checked first
    //    (nothing applied), then imported from the report's button with a progress bar.
    const fixed = rows.map((r) => [...r]);
    const oldPrice = rows[priceAt][col.price];
    const newPrice = (Number(oldPrice) + 1).toFixed(oldPrice.includes('.') ? oldPrice.split('.')[1].length : 0);
    fixed[priceAt][col.price] = newPrice;
    fixed[stockAt][col.on_hand] = String(Number(rows[stockAt][col.on_hand]) + 5);
    await importFile(page, 'prices-fixed.csv', fixed, { checkOnly: true });
    const checked = await reportIn(page, ['checked']);
    assert.match(await checked.locator(byTestId('csv-message')).textContent(), /Every row is fine/);
    const figures = async () =>
      Object.fromEntries(
        await page.$$eval(`${byTestId('csv-summary')} > div`, (ds) =>
          ds.map((d) => [d.querySelector('dt').textContent, Number(d.querySelector('dd').textContent.replaceAll(',', ''))]),
        ),
      );
    assert.equal((await figures())['Prices changed'], 1);
    assert.equal((await figures())['Stock counts changed'], 1);
    assert.equal(await (await page.request.get(url('/api/seller/catalog.csv'))).text(), original, 'a check applies nothing');

    // The progress bar shows while the server works.
    await page.evaluate(() => {
      window.sawProgress = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="csv-progress"]')) window.sawProgress = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.click(byTestId('csv-apply-checked'));
    const applied = await reportIn(page, ['applied']);
    assert.equal(await page.evaluate(() => window.sawProgress), true, 'a progress bar showed');
    assert.match(await applied.locator('h3').textContent(), /Imported/);
    const done = await figures();
    assert.deepEqual([done['SKUs changed'], done['Prices changed'], done['Stock counts changed']], [sku === stockSku ? 1 : 2, 1, 1]);

    // The storefront shows the new price.
    const found = await (await page.request.get(url(`/api/seller/listings?q=${encodeURIComponent(sku)}`))).json();
    const listing = found.items.find((s) => s.sku === sku);
    assert.ok(listing, `${sku} in the seller's listings`);
    const shown = await (await fetch(url(`/api/listings/${listing.id}?market=US`))).json();
    assert.equal(shown.price.minor, Math.round(Number(newPrice) * 10 ** shown.price.exponent), 'the storefront price');

    // 3. The same file again changes nothing: the exported file is what it was after the
    //    first import, versions included.
    const between = await (await page.request.get(url('/api/seller/catalog.csv'))).text();
    await importFile(page, 'prices-fixed.csv', fixed);
    const again = await reportIn(page, ['applied']);
    assert.match(await again.locator('h3').textContent(), /Already up to date/);
    assert.match(await again.locator(byTestId('csv-message')).textContent(), /already match/);
    assert.equal(await (await page.request.get(url('/api/seller/catalog.csv'))).text(), between, 'the second import changes nothing');

    // The recent imports list all four.
    await page.click('.import-recent summary');
    assert.equal(await page.locator(byTestId('csv-recent')).count(), 4);
    await page.locator(byTestId('csv-panel')).screenshot({ path: `${shotsDir}/seller-csv-applied-1440.png` });

    // A workbook is refused in the browser, before it is sent.
    await page.setInputFiles(byTestId('csv-file'), { name: 'prices.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('PK\x03\x04') });
    await page.click(byTestId('csv-import'));
    assert.match(await page.textContent(byTestId('csv-error')), /CSV UTF-8/);

    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
