// What the seller panel's browser tests share: the demo accounts, signing in on the
// panel's form, console errors and axe findings.
import AxeBuilder from '@axe-core/playwright';
import { url } from './helpers.mjs';

const byTestId = (id) => `[data-testid="${id}"]`;

// Demo accounts (crates/server/src/seller/accounts.rs): login `<id>@demo.crossdock`,
// password `crossdock-demo-<id>`.
export const login = (id) => `${id}@demo.crossdock`;
export const password = (id) => `crossdock-demo-${id}`;

/** Signs `seller` in on the sign-in form and waits for the panel. */
export async function signIn(page, seller) {
  await page.waitForSelector(byTestId('sign-in'));
  await page.fill(byTestId('login'), login(seller));
  await page.fill(byTestId('password'), password(seller));
  await page.click(byTestId('sign-in-submit'));
  await page.waitForSelector(byTestId('seller-name'));
}

/** Serious and critical axe findings on the page (or in the part `include` selects), as
 *  readable lines. */
export async function findings(page, include) {
  const builder = new AxeBuilder({ page });
  const result = await (include ? builder.include(include) : builder).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Collects page errors and console errors, but for failed requests with one of
 *  `expected` statuses, which a test provokes on purpose. */
export function watch(page, expected) {
  const provoked = new RegExp(`Failed to load resource: the server responded with a status of (${expected.join('|')})`);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (provoked.test(m.text())) return;
    problems.push(`console error: ${m.text()}`);
  });
  return problems;
}

/** Every demo seller id, in the order the storefront's US listings first name them. The
 *  browser tests share the sellers out so none edits another's SKUs: seller.test.mjs
 *  takes the first three, seller-stock.test.mjs the last and the third from the end,
 *  seller-csv.test.mjs the second from the end. */
export async function demoSellers() {
  const ids = [];
  for (let page = 1; page <= 5; page++) {
    const r = await fetch(url(`/api/listings?market=US&per_page=100&page=${page}`));
    if (r.status !== 200) throw new Error(`GET /api/listings answered ${r.status}`);
    const body = await r.json();
    for (const l of body.items) if (l.seller?.id && !ids.includes(l.seller.id)) ids.push(l.seller.id);
    if (body.items.length < 100) break;
  }
  return ids;
}
