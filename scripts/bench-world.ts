/**
 * Benchmark of the in-process world: sessions and messages per second through
 * `InProcessTransport.send` (ISP brain decisions, truth lookup by address, latency sampling,
 * follow-up scheduling), with a 1M-recipient consumer-us population and the shipped profiles.
 * Run: npx tsx scripts/bench-world.ts [messages] [messagesPerSession]
 */
import type { OutboundMessage, SessionRequest } from '../core/ports.ts';
import { createInProcessWorld, createPopulation, loadDomainMix } from '../simulators/index.ts';

const total = Number(process.argv[2] ?? 2_000_000);
const perSession = Number(process.argv[3] ?? 10);
const popSize = 1_000_000;
let now = 0;
const pop = createPopulation({ seed: 1, size: popSize, mix: loadDomainMix('consumer-us') });
const world = createInProcessWorld({ population: pop, seed: 1, clock: { now: () => now } });

// Pre-build requests grouped by domain (the core would): the benchmark times the world, not the setup.
const byDomain = new Map<string, OutboundMessage[]>();
let id = 0;
for (let i = 0; i < popSize && id < total; i++) {
  const r = pop.recipient(i);
  if (r.address === '' || r.domain.endsWith('.invalid')) continue;
  const list = byDomain.get(r.domain) ?? [];
  list.push({
    id,
    deliveryId: 1,
    from: 'news@sender.example',
    to: r.address,
    domain: r.domain,
    size: 20_000,
    attempt: 1,
    messageId: `<m${id}@sender.example>`,
  });
  byDomain.set(r.domain, list);
  id++;
}
const requests: SessionRequest[] = [];
let k = 0;
for (const [domain, msgs] of byDomain) {
  for (let a = 0; a < msgs.length; a += perSession) {
    requests.push({
      localIp: `192.0.2.${1 + (k++ % 8)}`,
      mxHost: 'mx',
      mxIp: '127.0.0.1',
      domain,
      messages: msgs.slice(a, a + perSession),
      timeouts: { connectMs: 10_000, commandMs: 300_000, dataMs: 600_000 },
    });
  }
}

function pass(): { sessions: number; messages: number; ms: number } {
  let sessions = 0;
  let messages = 0;
  const t0 = performance.now();
  while (messages < total) {
    for (const req of requests) {
      const res = world.transport.send(req);
      sessions++;
      messages += req.messages.length;
      now += res.durationMs > 0 ? 1 : 0;
      if (messages >= total) break;
    }
  }
  return { sessions, messages, ms: performance.now() - t0 };
}

pass(); // warm-up
const r = pass();
const mem = process.memoryUsage();
console.log(
  `world bench: ${r.messages.toLocaleString('en-US')} messages in ${r.sessions.toLocaleString('en-US')} sessions (${perSession}/session)`,
);
console.log(
  `  ${(r.messages / (r.ms / 1000) / 1e6).toFixed(2)} M messages/s, ${(r.sessions / (r.ms / 1000) / 1e3).toFixed(0)} k sessions/s, ${((r.ms * 1e6) / r.messages).toFixed(0)} ns/message`,
);
console.log(
  `  accepted ${world.transport.stats.accepted.toLocaleString('en-US')} of ${world.transport.stats.messages.toLocaleString('en-US')}; mailbox pending ${world.mailbox.pending.toLocaleString('en-US')}; heap ${(mem.heapUsed / 1e6).toFixed(0)} MB`,
);
