// Shared helpers for the browser tests: Debian's Chromium driven by playwright-core.
//
// Run with scripts/with-server.sh, which starts a fresh server and sets E2E_BASE_URL:
//   scripts/with-server.sh node --test tests/e2e/*.test.mjs
// or against a server you started yourself:
//   E2E_BASE_URL=http://127.0.0.1:8080 node --test tests/e2e/*.test.mjs
import { chromium } from 'playwright-core';

/** Where the server under test listens, without a trailing slash. */
export const baseURL = (process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');

/** An absolute URL for `path` on the server under test. */
export const url = (path = '/') => new URL(path, `${baseURL}/`).href;

/**
 * Flags for Chromium on these machines: root needs --no-sandbox; without the
 * background-networking flags it floods the closed network with refused connections.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Starts headless Chromium (/usr/bin/chromium, or $CHROMIUM). Close it in an `after` hook. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * Opens `path` in a fresh context (a new profile: empty cache and storage) and records
 * every page error, console error and CSP violation in `problems`, so a test can assert
 * that the page ran cleanly. Pass `viewport: { width: 375, height: 812 }` for a phone.
 * Close the context when done.
 */
export async function openPage(browser, path = '/', contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  await page.goto(url(path));
  return { context, page, problems };
}

/**
 * Waits until the app has started: Trunk's loader fires `TrunkApplicationStarted` after
 * the wasm is instantiated and `main` has run (mounting the app), and the body holds an
 * element of the app's own.
 */
export async function waitForApp(page, timeout = 15_000) {
  try {
    await page.waitForFunction(
      () =>
        window.wasmBindings !== undefined &&
        [...document.body.children].some(
          (e) => !['SCRIPT', 'NOSCRIPT', 'LINK', 'STYLE', 'TEMPLATE'].includes(e.tagName),
        ),
      null,
      { timeout },
    );
  } catch (error) {
    const state = await page
      .evaluate(() => ({
        started: window.wasmBindings !== undefined,
        body: document.body.innerHTML.replace(/\s+/g, ' ').slice(0, 300),
      }))
      .catch(() => ({ started: false, body: '(page not readable)' }));
    throw new Error(
      `the app did not start within ${timeout} ms at ${page.url()}: ` +
        (state.started
          ? 'the wasm loaded but mounted nothing into <body>'
          : 'the wasm never finished loading (see console errors)') +
        `; body: ${state.body}`,
      { cause: error },
    );
  }
}

/**
 * Remembers `dest` ("US|10001") as the shopper's destination when the context opens its
 * first page. Every page is its own document, so an init script runs on each navigation:
 * this one writes the destination once per tab (a sessionStorage flag), and a destination
 * changed on one page carries on to the next, as it does for a shopper.
 */
export async function rememberDestination(context, dest) {
  await context.addInitScript((d) => {
    if (sessionStorage.getItem('crossdock.test.destination-set')) return;
    sessionStorage.setItem('crossdock.test.destination-set', '1');
    localStorage.setItem('crossdock.destination', d);
  }, dest);
}
