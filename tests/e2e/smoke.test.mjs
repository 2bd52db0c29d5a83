// The built app is served and starts in a real browser; the network file is cacheable.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, url, waitForApp } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('GET / starts the app in Chromium with no errors or CSP violations', async () => {
  const { context, page, problems } = await openPage(browser, '/');
  try {
    await waitForApp(page);
    assert.match(await page.title(), /Crossdock/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a deep link such as /cart loads the app on reload (SPA fallback); /explore is its own page', async () => {
  for (const path of ['/cart', '/explore']) {
    const response = await fetch(url(path));
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get('content-type'), /^text\/html/, path);
    assert.equal(response.headers.get('cache-control'), 'no-cache', path);
    const html = await response.text();
    // The explorer's page loads its own wasm (dist/explore/), the storefront's does not.
    assert.equal(/\/explore\/crossdock-explore-[0-9a-f]+_bg\.wasm/.test(html), path === '/explore', path);

    const { context, page, problems } = await openPage(browser, path);
    try {
      await waitForApp(page);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  }
});

test('GET /api/network has a strong ETag and answers 304 on revalidation', async () => {
  const first = await fetch(url('/api/network'));
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('content-type'), 'application/json');
  assert.equal(first.headers.get('cache-control'), 'no-cache');
  const etag = first.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{64}"$/);
  const network = await first.json();
  assert.equal(typeof network.version, 'string');

  const again = await fetch(url('/api/network'), { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  assert.equal(again.headers.get('etag'), etag);
  assert.equal((await again.arrayBuffer()).byteLength, 0);
});

test('hashed assets are cached for a year; the page is revalidated', async () => {
  const html = await (await fetch(url('/'))).text();
  const wasm = html.match(/["'(]\/?([\w.-]+_bg\.wasm)["')]/)?.[1];
  assert.ok(wasm, 'index.html names the wasm file');
  const response = await fetch(url(`/${wasm}`), { headers: { 'accept-encoding': 'br' } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(response.headers.get('content-type'), 'application/wasm');
});
