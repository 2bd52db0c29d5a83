// Sequential latency of the catalog API: node scripts/api-bench.mjs http://127.0.0.1:PORT
// One request at a time over one kept-alive connection, so the figure is the server's
// time plus loopback, not queueing. Each scenario cycles through realistic variants
// (pages, searches, zones) after a warm-up, and prints a SUMMARY line with the median
// and the 99th percentile. Any non-2xx answer fails the run.
import http from 'node:http';

const base = process.argv[2];
if (!base) {
  console.error('usage: node scripts/api-bench.mjs http://127.0.0.1:PORT');
  process.exit(2);
}
const n = Number(process.env.API_BENCH_N || 300);
const warmup = Math.min(30, n);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const NOW = '2026-11-24T12:00:00Z';

function request(method, path, body) {
  return new Promise((resolve, reject) => {
    const payload = body ? Buffer.from(JSON.stringify(body)) : null;
    const started = process.hrtime.bigint();
    const req = http.request(
      base + path,
      {
        method,
        agent,
        headers: {
          'accept-encoding': 'gzip, br',
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
        },
      },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk) => (bytes += chunk.length));
        res.on('end', () => {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          if (res.statusCode < 200 || res.statusCode > 299) {
            reject(new Error(`${method} ${path}: HTTP ${res.statusCode}`));
          } else {
            resolve({ ms, bytes });
          }
        });
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

const pick = (list, i) => list[i % list.length];
const searches = ['charger', 'lamp', 'usb c cable', 'hoodie', 'brake pads', 'kettle', 'sofa', 'oolong tea', 'power bank', 'plant pots'];
const zones = ['us-ne', 'us-pac', 'us-sc', 'us-mw', 'us-hi'];
const scenarios = [
  {
    name: 'GET /api/listings browse (market=US, 24 per page, pages 1-10)',
    run: (i) => request('GET', `/api/listings?market=US&now=${NOW}&page=${1 + (i % 10)}`),
  },
  {
    name: 'GET /api/listings search (q=…, market=US)',
    run: (i) => request('GET', `/api/listings?market=US&now=${NOW}&q=${encodeURIComponent(pick(searches, i))}`),
  },
  {
    name: 'GET /api/listings sort=fastest with zone (engine over every US listing)',
    run: (i) => request('GET', `/api/listings?market=US&now=${NOW}&zone=${pick(zones, i)}&sort=fastest`),
  },
  {
    name: 'GET /api/listings arrives_by filter (market=DE, zone, date)',
    run: (i) => request('GET', `/api/listings?market=DE&now=${NOW}&zone=de-south&arrives_by=2026-12-0${1 + (i % 5)}&category=small_appliances,lighting`),
  },
  {
    name: 'GET /api/listings/{id} (market=US)',
    run: (i) => request('GET', `/api/listings/${ids[i % ids.length]}?market=US&now=${NOW}`),
  },
  {
    name: 'POST /api/quote (10 lines)',
    run: (i) =>
      request('POST', '/api/quote', {
        market: 'US',
        zone: pick(zones, i),
        now: NOW,
        lines: ids.slice(i % 20, (i % 20) + 10).map((id, k) => ({ listing_id: id, quantity: 1 + k })),
      }),
  },
];

// Listing ids sold in the US, for the detail and quote scenarios.
const first = await new Promise((resolve, reject) => {
  http
    .get(`${base}/api/listings?market=US&per_page=100&now=${NOW}`, { agent }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(JSON.parse(text)));
    })
    .on('error', reject);
});
const ids = first.items.map((item) => item.id);

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const fmt = (ms) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
let failed = false;
for (const s of scenarios) {
  try {
    for (let i = 0; i < warmup; i++) await s.run(i);
    const times = [];
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const r = await s.run(i);
      times.push(r.ms);
      bytes += r.bytes;
    }
    times.sort((a, b) => a - b);
    const median = percentile(times, 50);
    const p99 = percentile(times, 99);
    console.log(`${s.name}: n=${n}, median ${fmt(median)} ms, p99 ${fmt(p99)} ms, max ${fmt(times[times.length - 1])} ms, ${Math.round(bytes / n)} B/answer (compressed)`);
    console.log(`SUMMARY: api (loopback): ${s.name}: median ${fmt(median)} ms, p99 ${fmt(p99)} ms (n=${n})`);
  } catch (e) {
    console.error(`${s.name}: ${e.message}`);
    failed = true;
  }
}
agent.destroy();
process.exit(failed ? 1 : 0);
