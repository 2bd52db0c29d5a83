// In-browser benchmark: the routing engine in wasm, in headless Chromium.
//   scripts/with-server.sh node scripts/browser-bench.mjs
//
// The hook (the app provides it): the wasm exports two functions with #[wasm_bindgen],
// which Trunk's loader puts on `window.wasmBindings`:
//   crossdock_bench_setup(listings: u32)  -> Promise | undefined
//       prepares `listings` listings and everything the estimate needs (e.g. fetches
//       /api/network); not timed;
//   crossdock_bench_run() -> u32
//       estimates every prepared listing once, synchronously; returns how many it did.
// This script times crossdock_bench_run with performance.now() and prints the figures.
// Figures only: being slow never fails the run (the goal is printed beside them).
import { launchBrowser, openPage, waitForApp } from '../tests/e2e/helpers.mjs';

const LISTINGS = Number(process.env.BENCH_LISTINGS ?? 3000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const PAGE = process.env.BENCH_PAGE ?? '/';
const GOAL_MS = 16;

const browser = await launchBrowser();
try {
  const { page, problems } = await openPage(browser, PAGE);
  await waitForApp(page);
  const result = await page.evaluate(
    async ({ listings, runs }) => {
      const b = window.wasmBindings;
      if (typeof b?.crossdock_bench_run !== 'function') return { missing: true };
      if (typeof b.crossdock_bench_setup === 'function') await b.crossdock_bench_setup(listings);
      for (let i = 0; i < 3; i++) b.crossdock_bench_run(); // warm up
      const times = [];
      let done = 0;
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        done = b.crossdock_bench_run();
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
      return { done, min: times[0], median: at(0.5), p95: at(0.95), max: times[times.length - 1] };
    },
    { listings: LISTINGS, runs: RUNS },
  );
  if (problems.length > 0) console.error(problems.join('\n'));
  if (result.missing) {
    console.log('the app exports no crossdock_bench_run yet: nothing to measure');
    console.log('SUMMARY: bench (browser): not wired yet (export crossdock_bench_setup/crossdock_bench_run from the app)');
  } else if (result.done === 0) {
    console.error('crossdock_bench_run estimated nothing: did crossdock_bench_setup prepare the listings?');
    process.exitCode = 1;
  } else {
    const ms = (x) => `${x.toFixed(2)} ms`;
    console.log(`estimated ${result.done} listings per run, ${RUNS} runs`);
    console.log(`min ${ms(result.min)}, median ${ms(result.median)}, p95 ${ms(result.p95)}, max ${ms(result.max)}`);
    const verdict = result.median < GOAL_MS ? 'within' : 'OVER';
    console.log(
      `SUMMARY: bench (browser): estimate ${result.done} listings in wasm: median ${ms(result.median)}, p95 ${ms(result.p95)} (goal < ${GOAL_MS} ms: ${verdict})`,
    );
  }
} finally {
  await browser.close();
}
