// What the seller panel's browser tests share: the demo accounts, signing in on the
// panel's form, console errors and axe findings.
import AxeBuilder from '@axe-core/playwright';

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
