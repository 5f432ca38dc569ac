// Figures for issue 17 on one instance and a real PostgreSQL (MEASURE_DATABASE_URL, default the CI server):
// the database unreachable for 10 s (a TCP proxy this script cuts), then one table locked for 8 s, under
// bounded load from 8 clients. Prints statuses, latencies and what was logged. Usage: node scripts/measure-faults.mjs
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import pg from 'pg';
const ROOT = new URL('..', import.meta.url).pathname;
const PG = process.env.MEASURE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const pgUrl = new URL(PG);
const schema = 'measure_' + Math.random().toString(16).slice(2, 8);
// cuttable proxy
const sockets = new Set();
const proxy = net.createServer((c) => {
  const u = net.connect(Number(pgUrl.port || 5432), pgUrl.hostname);
  for (const s of [c, u]) {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  }
  c.pipe(u).pipe(c);
  c.on('close', () => u.destroy());
  u.on('close', () => c.destroy());
});
await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
const port = proxy.address().port;
const cut = () =>
  new Promise((r) => {
    proxy.close(r);
    for (const s of sockets) s.resetAndDestroy();
  });
const restore = () => new Promise((r) => proxy.listen(port, '127.0.0.1', r));
const LOG = `${os.tmpdir()}/measure-faults-${process.pid}.log`;
const log = fs.openSync(LOG, 'w');
const env = {
  ...process.env,
  NODE_ENV: 'production',
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
  JWT_SECRET: 'm'.repeat(40),
  DATABASE_URL: Object.assign(new URL(PG), { hostname: '127.0.0.1', port: String(port) }).toString(),
  DATABASE_SCHEMA: schema,
  SEED_DEMO: 'true',
  DATABASE_POOL_MAX: '4',
};
delete env.NODE_OPTIONS;
const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env, stdio: ['ignore', log, log] });
let base;
for (let i = 0; i < 600 && !base; i++) {
  await new Promise((r) => setTimeout(r, 100));
  const m = /"url":"(http[^"]+)"/.exec(fs.readFileSync(LOG, 'utf8'));
  if (m) base = m[1].replace('localhost', '127.0.0.1');
}
const products = (await (await fetch(`${base}/v1/products?limit=10`)).json()).items;
const warm = [...Array.from({ length: 10 }, (_, i) => `/v1/content?limit=${i + 1}`), ...products.map((p) => `/v1/products/${p.id}`)];
for (const u of warm) await fetch(base + u).then((r) => r.arrayBuffer());
const pct = (a, p) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(1) : '-';
};
async function hammer(urls, ms, workers = 8) {
  const out = [];
  const end = Date.now() + ms;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      let i = w;
      while (Date.now() < end) {
        const u = urls[i++ % urls.length];
        const t = performance.now();
        const r = await fetch(base + u);
        await r.arrayBuffer();
        out.push({ u, status: r.status, ms: performance.now() - t, stale: r.headers.has('cache-status') });
      }
    }),
  );
  return out;
}
const summary = (label, rs) => {
  const by = {};
  for (const r of rs) by[r.status] = (by[r.status] ?? 0) + 1;
  console.log(
    label.padEnd(44),
    'n',
    rs.length,
    'statuses',
    JSON.stringify(by),
    'stale-marked',
    rs.filter((r) => r.stale).length,
    'p50',
    pct(
      rs.map((r) => r.ms),
      0.5,
    ),
    'p99',
    pct(
      rs.map((r) => r.ms),
      0.99,
    ),
    'ms',
  );
};
// outage: 10 s
const before = fs.statSync(LOG).size;
await cut();
const never = Array.from({ length: 5 }, (_, i) => `/v1/content?limit=${20 + i}`);
const [readBefore, neverRead] = await Promise.all([hammer(warm, 10_000, 6), hammer(never, 10_000, 2)]);
await restore();
const outageLog = fs.readFileSync(LOG, 'utf8').slice(before);
const lines = outageLog.split('\n').filter(Boolean);
console.log('PostgreSQL unreachable for 10 s (proxy cut), 8 clients:');
summary('  reads answered before (20 URLs)', readBefore);
summary('  reads never answered (5 URLs)', neverRead);
const failed = neverRead.filter((r) => r.status >= 500).length;
console.log(
  `  log: ${lines.length} lines, ${outageLog.length} bytes for ${failed} failed requests; lines with a stack: ${lines.filter((l) => l.includes('"stack"')).length}; summary lines: ${lines.filter((l) => l.includes('failed requests by kind')).length}`,
);
// wait for fresh
for (let i = 0; i < 300; i++) {
  const r = await fetch(`${base}/v1/content?limit=30`);
  await r.arrayBuffer();
  if (r.status === 200 && !r.headers.has('cache-status')) break;
  await new Promise((r) => setTimeout(r, 200));
}
// locked products table for 8 s
const locker = new pg.Client({ connectionString: PG });
await locker.connect();
const contentUrls = Array.from({ length: 30 }, (_, i) => `/v1/content?limit=${(i % 20) + 1}&verdict_min=${i < 20 ? 1 : 2}`);
const catalogUrls = Array.from({ length: 30 }, (_, i) => `/v1/products?limit=${(i % 20) + 1}&type=${i < 20 ? 'camera' : 'lens'}`);
const baseline = await hammer(
  contentUrls.map((u) => u + '&verdict_max=9'),
  4000,
  4,
);
await locker.query('begin');
await locker.query(`lock table "${schema}".products in access exclusive mode`);
const [lockContent, lockCatalog] = await Promise.all([
  hammer(
    contentUrls.map((u) => u + '&verdict_max=10'),
    8000,
    4,
  ),
  hammer(catalogUrls, 8000, 4),
]);
await locker.query('commit');
await locker.end();
console.log('products table locked for 8 s (pool 4: catalog share 1), 8 clients, uncached URLs:');
summary('  reads of reviews before the lock', baseline);
summary('  reads of reviews during the lock', lockContent);
summary('  reads of the catalog during the lock', lockCatalog);
const shed = lockCatalog.filter((r) => r.status === 503);
console.log(
  '  catalog 503s: p50',
  pct(
    shed.map((r) => r.ms),
    0.5,
  ),
  'p99',
  pct(
    shed.map((r) => r.ms),
    0.99,
  ),
  'ms',
);
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
const c = new pg.Client({ connectionString: PG });
await c.connect();
await c.query(`drop schema if exists "${schema}" cascade`);
await c.end();
proxy.close();
