/**
 * Micro-benchmark of the bare event queue: the classic "hold" operation (pop the next event, push
 * one at a random later time) at several pending-set sizes. Prints CPU ns per hold.
 *
 *   npx tsx scripts/bench-engine/queue-hold.ts
 */
import { EventQueue } from '../../engine/index.ts';

function hold(pending: number, ops: number): number {
  const q = new EventQueue(1024);
  let x = 1;
  for (let i = 0; i < pending; i++) {
    x = (x * 48271) % 2147483647;
    q.push(x % 100_000, 1, i, 0);
  }
  const c0 = process.cpuUsage();
  for (let i = 0; i < ops; i++) {
    q.pop(Number.POSITIVE_INFINITY);
    x = (x * 48271) % 2147483647;
    q.push(q.now + (x % 100_000), 1, q.a, 0);
  }
  const c = process.cpuUsage(c0);
  return ((c.user + c.system) * 1000) / ops;
}

for (const pending of [100, 3_000, 40_000, 1_000_000]) {
  hold(pending, 200_000); // warm-up
  console.log(
    `pending ${pending.toLocaleString('en-US').padStart(9)}: ${hold(pending, 2_000_000).toFixed(1)} ns per hold (pop + push)`,
  );
}
