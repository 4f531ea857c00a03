/**
 * The two benchmark models on the mxlab engine. The SimPy twins are in simpy_models.py and follow
 * the same rules (parameters below are mirrored there; change both together).
 *
 * - M/M/c: Poisson arrivals, c servers, exponential service, FIFO waiting line.
 * - Bare email: N messages arriving as a Poisson stream (generated lazily: each arrival schedules the
 *   next), K domains picked with Zipf weights; each domain has a few connection slots and an hourly
 *   limit enforced GCRA-style (the next allowed send time is computed, no timer events); each attempt
 *   takes a fixed time and succeeds with p = 0.9; failures retry one hour later, up to 5 retries.
 */
import { HOUR, RandomStreams, Simulation, WeightedTable } from '../../engine/index.ts';

/** What a model run reports. */
export interface ModelResult {
  events: number;
  wallMs: number;
  /** CPU time of this process during the run (user + system), a check on wall time on a busy machine */
  cpuMs: number;
  /** virtual time at the end (ms) */
  endMs: number;
  /** model-specific figures, to compare with the SimPy twin */
  stats: Record<string, number>;
}

/** M/M/c parameters (mirrored in simpy_models.py). */
export const MMC = { servers: 10, meanInterarrivalMs: 100, meanServiceMs: 900 } as const;

/** Bare email model parameters (mirrored in simpy_models.py). */
export const EMAIL = {
  domains: 1000,
  slotsPerDomain: 3,
  perHourLimit: 72_000,
  sendMs: 100,
  success: 0.9,
  maxRetries: 5,
  retryDelayMs: HOUR,
  meanInterarrivalMs: 10,
} as const;

function startClock(): () => { wallMs: number; cpuMs: number } {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  return () => {
    const c = process.cpuUsage(c0);
    return { wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
  };
}

const ARRIVAL = 0;
const DEPARTURE = 1;

/** Runs the M/M/c queue for `n` customers. */
export function runMmc(n: number, seed = 1): ModelResult {
  const { servers, meanInterarrivalMs, meanServiceMs } = MMC;
  const rng = new RandomStreams(seed);
  const arrivals = rng.stream('arrivals');
  const service = rng.stream('service');
  const sim = new Simulation({ initialCapacity: 64 });
  const waitingSince = new Float64Array(n);
  let head = 0;
  let tail = 0;
  let busy = 0;
  let served = 0;
  let totalWait = 0;
  sim.on(ARRIVAL, (i) => {
    if (i + 1 < n) sim.after(arrivals.exponential(meanInterarrivalMs), ARRIVAL, i + 1);
    if (busy < servers) {
      busy++;
      sim.after(service.exponential(meanServiceMs), DEPARTURE);
    } else {
      waitingSince[tail++] = sim.now;
    }
  });
  sim.on(DEPARTURE, () => {
    served++;
    if (head < tail) {
      totalWait += sim.now - waitingSince[head++];
      sim.after(service.exponential(meanServiceMs), DEPARTURE);
    } else {
      busy--;
    }
  });
  const clock = startClock();
  sim.schedule(0, ARRIVAL, 0);
  sim.runUntilIdle();
  const { wallMs, cpuMs } = clock();
  return {
    events: sim.eventsProcessed,
    wallMs,
    cpuMs,
    endMs: sim.now,
    stats: { served, meanWaitMs: totalWait / n },
  };
}

const MSG_ARRIVAL = 0;
const SEND_DONE = 1;
const RETRY = 2;

/** Runs the bare email model for `n` messages. */
export function runEmail(n: number, seed = 1): ModelResult {
  const {
    domains,
    slotsPerDomain,
    perHourLimit,
    sendMs,
    success,
    maxRetries,
    retryDelayMs,
    meanInterarrivalMs,
  } = EMAIL;
  const interval = HOUR / perHourLimit;
  const rng = new RandomStreams(seed);
  const arrivals = rng.stream('arrivals');
  const pickDomain = rng.stream('domains');
  const outcomes = rng.stream('outcomes');
  const weights = Array.from({ length: domains }, (_, i) => 1 / (i + 1));
  const table = new WeightedTable(weights);
  const sim = new Simulation({ initialCapacity: 4096 });
  const retryLane = sim.fixedDelay(retryDelayMs);

  const attempts = new Uint8Array(n);
  const next = new Int32Array(n); // per-domain waiting line, linked through messages
  const qHead = new Int32Array(domains).fill(-1);
  const qTail = new Int32Array(domains).fill(-1);
  const busy = new Int32Array(domains);
  const tat = new Float64Array(domains); // GCRA theoretical arrival time
  let delivered = 0;
  let failed = 0;
  let retries = 0;

  const enqueue = (d: number, m: number) => {
    next[m] = -1;
    if (qTail[d] < 0) qHead[d] = m;
    else next[qTail[d]] = m;
    qTail[d] = m;
  };
  const dispatch = (d: number) => {
    while (busy[d] < slotsPerDomain && qHead[d] >= 0) {
      const m = qHead[d];
      qHead[d] = next[m];
      if (qHead[d] < 0) qTail[d] = -1;
      const now = sim.now;
      const t = tat[d] > now ? tat[d] : now;
      tat[d] = t + interval;
      busy[d]++;
      sim.schedule(t + sendMs, SEND_DONE, m, d);
    }
  };
  sim.on(MSG_ARRIVAL, (m) => {
    if (m + 1 < n) sim.after(arrivals.exponential(meanInterarrivalMs), MSG_ARRIVAL, m + 1);
    const d = table.sample(pickDomain);
    enqueue(d, m);
    dispatch(d);
  });
  sim.on(SEND_DONE, (m, d) => {
    busy[d]--;
    const tries = ++attempts[m];
    if (outcomes.next() < success) delivered++;
    else if (tries <= maxRetries) {
      retries++;
      sim.afterFixed(retryLane, RETRY, m, d);
    } else failed++;
    dispatch(d);
  });
  sim.on(RETRY, (m, d) => {
    enqueue(d, m);
    dispatch(d);
  });
  const clock = startClock();
  sim.schedule(0, MSG_ARRIVAL, 0);
  sim.runUntilIdle();
  const { wallMs, cpuMs } = clock();
  return {
    events: sim.eventsProcessed,
    wallMs,
    cpuMs,
    endMs: sim.now,
    stats: { delivered, failed, retries },
  };
}
