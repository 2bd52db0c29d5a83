// The demo partner site: public/partner-demo.html served from an origin of its own, so
// its Crossdock embeds run the way they run on a real partner's site (another origin,
// another site: Crossdock's cookies are not sent to the frames, their storage is their
// own). `make run` starts it beside the server; the browser tests start it themselves.
//
//   node scripts/partner-demo.mjs --crossdock http://127.0.0.1:8080 [--port 8081] [--host 127.0.0.1]
//
// It prints `Partner demo: http://localhost:PORT/` — `localhost`, not 127.0.0.1, so the
// partner page is also another *site* than a Crossdock server on 127.0.0.1. `/blank` is an
// empty page of the partner's (the browser tests build their own pages on it); any other
// path answers 404.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PAGE = fileURLToPath(new URL('../public/partner-demo.html', import.meta.url));
const BLANK =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner</title></head><body><main></main></body></html>';

/** The partner page with its links and script pointing at `crossdock` (an origin). */
export function partnerPage(crossdock) {
  const origin = new URL(crossdock).origin;
  return readFileSync(PAGE, 'utf8')
    .replace(/(href|src)="\//g, `$1="${origin}/`)
    .replace(
      '<code data-testid="crossdock-origin">Crossdock\'s origin</code>',
      `<code data-testid="crossdock-origin">${origin}</code>`,
    );
}

/**
 * Serves the partner page on `host:port` (port 0: any free port). Resolves to
 * `{ url, close }`, `url` being `http://localhost:PORT` (no trailing slash).
 */
export function startPartnerDemo({ crossdock, port = 8081, host = '127.0.0.1' }) {
  const html = partnerPage(crossdock);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
    } else if (path === '/' || path === '/index.html') {
      res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : html);
    } else if (path === '/blank') {
      res.writeHead(200, headers).end(BLANK);
    } else if (path === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      res.writeHead(404, headers).end(BLANK.replace('Partner', 'Not found'));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolve({
        url: `http://localhost:${actual}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const arg = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
  };
  const crossdock = arg('crossdock', 'http://127.0.0.1:8080');
  const port = Number(arg('port', process.env.PARTNER_PORT ?? '8081'));
  const host = arg('host', '127.0.0.1');
  startPartnerDemo({ crossdock, port, host }).then(
    ({ url }) => {
      console.log(`Partner demo (another site embedding Crossdock ${crossdock}): ${url}/`);
    },
    (error) => {
      console.error(
        error.code === 'EADDRINUSE'
          ? `error: port ${port} is in use: choose another with make run PARTNER_PORT=${port + 1}`
          : `error: the partner demo could not start: ${error.message}`,
      );
      process.exit(1);
    },
  );
}
