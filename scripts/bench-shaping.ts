/**
 * Shaping checks per second: `nextSendAt` and `routeId` on many paths, legacy and enhanced, plus the
 * full send loop (route + onSend). Run: npx tsx scripts/bench-shaping.ts
 */
import { createShaper } from '../core/shaping/index.ts';
import { loadAdaptiveRules, loadMxRules, loadWarmup } from '../node/index.ts';

const mxRules = loadMxRules();
const N_DOMAINS = 1_000;

function build(mode: 'legacy' | 'enhanced') {
  const s = createShaper({
    mode,
    mxRules,
    adaptiveRules: loadAdaptiveRules(),
    warmup: loadWarmup(),
    ipAges: { '198.51.100.1': 3 },
  });
  const ips = ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4'];
  const domains: number[] = [];
  for (let i = 0; i < N_DOMAINS; i++) {
    const name = i % 10 === 0 ? `gmail${i}.com` : `d${i}.example`;
    const host = i % 10 === 0 ? 'gmail-smtp-in.l.google.com' : `mx.d${i}.example`;
    domains.push(
      s.registerSite(
        name,
        [{ host, preference: 10, ips: [`10.${i >> 8}.${i & 255}.1`, `10.${i >> 8}.${i & 255}.2`] }],
        ips,
      ),
    );
  }
  const paths: number[] = [];
  for (let d = 0; d < N_DOMAINS; d++) paths.push(...s.pathsOf(s.describePath(d * 8).domain));
  return { s, domains, paths: Int32Array.from(paths) };
}

function bench(label: string, n: number, fn: (i: number) => number): void {
  let sink = 0;
  for (let i = 0; i < Math.min(n, 200_000); i++) sink += fn(i); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink += fn(i);
  const ns = Number(process.hrtime.bigint() - t0);
  const perSec = (n / ns) * 1e9;
  console.log(
    `${label.padEnd(44)} ${(perSec / 1e6).toFixed(2).padStart(7)} M/s  (${(ns / n).toFixed(1)} ns each)  [${sink > 0 ? 'ok' : '-'}]`,
  );
}

const N = 10_000_000;
for (const mode of ['legacy', 'enhanced'] as const) {
  const { s, domains, paths } = build(mode);
  const np = paths.length;
  bench(`${mode}: nextSendAt (${np} paths)`, N, (i) => s.nextSendAt(paths[i % np]!, i * 10));
  bench(
    `${mode}: routeId (${domains.length} domains, 8 paths each)`,
    N / 2,
    (i) => s.routeId(domains[i % N_DOMAINS]!, i * 10).at,
  );
  let sent = 0;
  bench(`${mode}: route + onSend when allowed`, N / 2, (i) => {
    const t = i * 20;
    const c = s.routeId(domains[i % N_DOMAINS]!, t);
    if (c.at === t) {
      s.onSend(c.pathId, t);
      sent++;
    }
    return c.at;
  });
  console.log(`${mode}: messages sent in the send loop: ${sent}`);
}
