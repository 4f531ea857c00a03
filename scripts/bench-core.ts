/**
 * Micro-benchmarks of the delivery core's hot paths (quarantine decisions, preparation, retry
 * decisions, delivery-log events). Prints figures; run with `npx tsx scripts/bench-core.ts [addresses]`.
 * Target (issue #4): at least 5,000,000 quarantine decisions per second.
 */
import { DeliveryLog, LogEvent, SuccessSeries } from '../core/delivery-log/index.ts';
import { DeliveryPreparation } from '../core/preparation/index.ts';
import { QuarantineTable } from '../core/quarantine/index.ts';
import { decideRetry, LegacyRetryPolicy } from '../core/retry/index.ts';
import { HOUR, type Qualification } from '../core/types.ts';
import { retryPolicy } from '../node/index.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const DECISIONS = 20_000_000;

function q(type: Qualification['type'], reason: number, impact: Qualification['impact']): Qualification {
  return {
    type,
    reason,
    impact,
    disposition: type === 'hard' ? 'permanent' : 'transient',
    rule: `r${reason}`,
    bounceClass: null,
  };
}
const quals = [
  q('soft', 5, 'count'),
  q('soft', 20, 'none'),
  q('soft', 3, 'none'),
  q('hard', 1, 'quarantine'),
  q('soft', 2, 'count'),
];
// the qualification mix: 1 in 64 hard, the rest half counting soft errors, half sender-level (impact none);
// picked by a hash independent of the address id
const pick = new Uint8Array(1024);
for (let i = 0; i < pick.length; i++) pick[i] = i % 64 === 0 ? 3 : [0, 1, 2, 4][i % 4]!;

function rate(label: string, count: number, ms: number, unit = '/s'): void {
  const perSec = (count / ms) * 1000;
  console.log(
    `${label.padEnd(52)} ${Math.round(perSec).toLocaleString('en-US').padStart(14)} ${unit}   (${count.toLocaleString('en-US')} in ${ms.toFixed(0)} ms)`,
  );
}

console.log(`mxlab core bench: ${N.toLocaleString('en-US')} addresses, Node ${process.version}`);

// 1. interning (the once-per-address cost)
const table = new QuarantineTable({}, null, N);
const addrs = Array.from({ length: N }, (_, i) => `user${i}@d${i % 1000}.example`);
let t0 = performance.now();
for (let i = 0; i < N; i++) table.idOf(addrs[i]!);
rate('quarantine intern (idOf, new addresses)', N, performance.now() - t0);

// 2. quarantine decisions: onError on ids, time advancing (the hot path). Random ids over the whole
// table (worst case: a cache miss per decision) and over a 64k working set (a domain's retry wave).
let sink = 0;
for (const [label, span] of [
  ['warm-up', N],
  [`random over ${N.toLocaleString('en-US')}`, N],
  ['random over 65,536', Math.min(N, 65_536)],
] as const) {
  for (let id = 0; id < N; id++) table.restore(id, 0); // every run starts from an all-Valid table
  // time advances so that each address sees DECISIONS/span errors over the run's span of days
  const step = Math.floor((10 * 24 * HOUR) / DECISIONS) + 1;
  t0 = performance.now();
  let t = 0;
  for (let i = 0; i < DECISIONS; i++) {
    const id = (Math.imul(i, 0x9e3779b1) >>> 0) % span;
    t += step;
    sink += table.onError(id, quals[pick[Math.imul(i, 0x85ebca6b) >>> 22]!]!, null, t).status;
  }
  rate(`quarantine decisions (onError), ${label}`, DECISIONS, performance.now() - t0);
  const byStatus = [0, 0, 0, 0, 0];
  for (let id = 0; id < span; id++) byStatus[table.status(id)]!++;
  console.log(
    `  after: valid ${byStatus[0]}, withErrors ${byStatus[1]}, quarantine ${byStatus[2]} (of ${span.toLocaleString('en-US')})`,
  );
}

// 3. status reads + success
t0 = performance.now();
for (let i = 0; i < DECISIONS; i++) {
  const id = i % N;
  sink += (i & 7) === 0 ? table.onSuccess(id, i) : table.status(id);
}
rate('quarantine status/onSuccess', DECISIONS, performance.now() - t0);

// 4. daily cleanup over the whole table
t0 = performance.now();
const lifted = table.cleanup(400 * 24 * HOUR);
rate(
  `quarantine cleanup scan (${lifted.toLocaleString('en-US')} lifted)`,
  table.size,
  performance.now() - t0,
  'rows/s',
);

// 5. preparation of a delivery over the same addresses (already interned) with 1% duplicates
const prep = new DeliveryPreparation(table);
t0 = performance.now();
const target = { recipientId: 0, address: '' as string | null, inControlGroup: false };
for (let i = 0; i < N; i++) {
  target.recipientId = i;
  target.address = addrs[i % 100 === 0 ? 0 : i]!;
  sink += prep.decide(target);
}
rate('preparation decisions', N, performance.now() - t0);

// 6. retry decisions
const legacy = new LegacyRetryPolicy();
const kumo = retryPolicy('kumomta');
const rng = { next: () => 0.5 };
const soft = quals[0]!;
t0 = performance.now();
for (let i = 0; i < DECISIONS / 4; i++)
  sink += decideRetry((i & 1) === 0 ? legacy : kumo, soft, 1 + (i % 10), 0, i, 'example.com', rng);
rate('retry decisions (legacy + kumomta)', DECISIONS / 4, performance.now() - t0);

// 7. delivery log + three-mode success series, one event stream
const log = new DeliveryLog('enhanced', N);
const series = new SuccessSeries({ bucketMs: HOUR });
for (let i = 0; i < N; i++) series.add(log.add(1, i));
t0 = performance.now();
let events = 0;
for (let i = 0; i < N; i++) {
  const t = i * 10;
  log.apply(i, LogEvent.Relayed, t);
  series.apply(i, LogEvent.Relayed, t);
  const kind = i % 10 === 0 ? LogEvent.SoftBounce : i % 50 === 1 ? LogEvent.HardBounce : LogEvent.Delivered;
  log.apply(i, kind, t + 1, kind === LogEvent.Delivered ? null : soft, null);
  series.apply(i, kind, t + 1);
  events += 2;
}
rate('delivery log + success series events', events, performance.now() - t0);
const mem = process.memoryUsage();
console.log(
  `heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MB, array buffers ${(mem.arrayBuffers / 2 ** 20).toFixed(0)} MB (checksum ${sink % 997})`,
);
