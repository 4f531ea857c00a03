#!/usr/bin/python3
"""SimPy twins of the mxlab engine benchmark models (see models.ts for the rules; parameters mirrored).

Written in idiomatic SimPy: a process per customer/message, a Resource for servers/connection slots.
Works with SimPy 3/4 (``import simpy``) and with Debian's SimPy 2 (``SimPy.Simulation``).

Usage: simpy_models.py --check
       simpy_models.py MODEL N [SEED]     (MODEL: mmc | email) -> prints one JSON line
"events" counts the model's logical events exactly as the mxlab model does (so events/s compares the
same work); "simpyEvents" is SimPy's own count (SimPy 2: event notices posted; SimPy 3/4: event ids),
which includes process plumbing such as resource grants and releases.
"""
import bisect
import json
import random
import sys
import time

try:
    import simpy  # SimPy 3 / 4

    FLAVOUR = "simpy-" + getattr(simpy, "__version__", "3+")
except ImportError:  # Debian bookworm ships SimPy 2.3
    simpy = None
    try:
        import SimPy
        from SimPy.Simulation import Process, Resource, Simulation, hold, release, request

        FLAVOUR = "SimPy-" + getattr(SimPy, "__version__", "2")
    except ImportError:
        FLAVOUR = None

HOUR = 3_600_000.0
MMC = dict(servers=10, mean_interarrival_ms=100.0, mean_service_ms=900.0)
EMAIL = dict(domains=1000, slots=3, per_hour_limit=72_000, send_ms=100.0, success=0.9,
             max_retries=5, retry_delay_ms=HOUR, mean_interarrival_ms=10.0)


class Stats:
    def __init__(self):
        self.values = {}

    def add(self, key, v=1):
        self.values[key] = self.values.get(key, 0) + v


# ---------------------------------------------------------------- SimPy 3/4

def mmc_v3(n, seed):
    rng = random.Random(seed)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=MMC["servers"])
    st = Stats()
    lam = 1.0 / MMC["mean_interarrival_ms"]
    mu = 1.0 / MMC["mean_service_ms"]

    def customer():
        arrive = env.now
        with servers.request() as req:
            yield req
            st.add("totalWait", env.now - arrive)
            yield env.timeout(rng.expovariate(mu))
        st.add("served")

    def source():
        for i in range(n):
            env.process(customer())
            if i + 1 < n:
                yield env.timeout(rng.expovariate(lam))

    env.process(source())
    env.run()
    return env, st


def email_v3(n, seed):
    rng = random.Random(seed)
    env = simpy.Environment()
    p = EMAIL
    cum, total = _zipf_cum(p["domains"])
    slots = [simpy.Resource(env, capacity=p["slots"]) for _ in range(p["domains"])]
    tat = [0.0] * p["domains"]
    interval = HOUR / p["per_hour_limit"]
    lam = 1.0 / p["mean_interarrival_ms"]
    st = Stats()

    def message(d):
        for attempt in range(p["max_retries"] + 1):
            with slots[d].request() as req:
                yield req
                t = max(env.now, tat[d])
                tat[d] = t + interval
                yield env.timeout(t - env.now + p["send_ms"])
            if rng.random() < p["success"]:
                st.add("delivered")
                return
            if attempt < p["max_retries"]:
                st.add("retries")
                yield env.timeout(p["retry_delay_ms"])
        st.add("failed")

    def source():
        for i in range(n):
            d = bisect.bisect_right(cum, rng.random() * total)
            env.process(message(d))
            if i + 1 < n:
                yield env.timeout(rng.expovariate(lam))

    env.process(source())
    env.run()
    return env, st


# ---------------------------------------------------------------- SimPy 2

def mmc_v2(n, seed):
    rng = random.Random(seed)
    sim = Simulation()
    sim.initialize()
    servers = Resource(capacity=MMC["servers"], sim=sim)
    st = Stats()
    lam = 1.0 / MMC["mean_interarrival_ms"]
    mu = 1.0 / MMC["mean_service_ms"]

    class Customer(Process):
        def run(self):
            arrive = sim.now()
            yield request, self, servers
            st.add("totalWait", sim.now() - arrive)
            yield hold, self, rng.expovariate(mu)
            yield release, self, servers
            st.add("served")

    class Source(Process):
        def run(self):
            for i in range(n):
                c = Customer(sim=sim)
                sim.activate(c, c.run())
                if i + 1 < n:
                    yield hold, self, rng.expovariate(lam)

    s = Source(sim=sim)
    sim.activate(s, s.run())
    sim.simulate(until=1e18)
    return sim, st


def email_v2(n, seed):
    rng = random.Random(seed)
    sim = Simulation()
    sim.initialize()
    p = EMAIL
    cum, total = _zipf_cum(p["domains"])
    slots = [Resource(capacity=p["slots"], sim=sim) for _ in range(p["domains"])]
    tat = [0.0] * p["domains"]
    interval = HOUR / p["per_hour_limit"]
    lam = 1.0 / p["mean_interarrival_ms"]
    st = Stats()

    class Message(Process):
        def run(self, d):
            for attempt in range(p["max_retries"] + 1):
                yield request, self, slots[d]
                now = sim.now()
                t = max(now, tat[d])
                tat[d] = t + interval
                yield hold, self, t - now + p["send_ms"]
                yield release, self, slots[d]
                if rng.random() < p["success"]:
                    st.add("delivered")
                    return
                if attempt < p["max_retries"]:
                    st.add("retries")
                    yield hold, self, p["retry_delay_ms"]
            st.add("failed")

    class Source(Process):
        def run(self):
            for i in range(n):
                d = bisect.bisect_right(cum, rng.random() * total)
                m = Message(sim=sim)
                sim.activate(m, m.run(d))
                if i + 1 < n:
                    yield hold, self, rng.expovariate(lam)

    s = Source(sim=sim)
    sim.activate(s, s.run())
    sim.simulate(until=1e18)
    return sim, st


def _zipf_cum(k):
    cum = []
    total = 0.0
    for i in range(k):
        total += 1.0 / (i + 1)
        cum.append(total)
    return cum, total


def main(argv):
    if len(argv) >= 1 and argv[0] == "--check":
        if FLAVOUR is None:
            print("missing")
            return 1
        print(FLAVOUR)
        return 0
    if FLAVOUR is None:
        print(json.dumps({"error": "SimPy is not installed (apt-get install -y python3-simpy)"}))
        return 1
    model, n = argv[0], int(argv[1])
    seed = int(argv[2]) if len(argv) > 2 else 1
    runners = {"mmc": (mmc_v3, mmc_v2), "email": (email_v3, email_v2)}
    v3, v2 = runners[model]
    t0 = time.perf_counter()
    c0 = time.process_time()
    if simpy is not None:
        env, st = v3(n, seed)
        events = next(env._eid)
        end = env.now
    else:
        env, st = v2(n, seed)
        events = -env._sortpr
        end = env.now()
    wall_ms = (time.perf_counter() - t0) * 1000.0
    cpu_ms = (time.process_time() - c0) * 1000.0
    stats = st.values
    if model == "mmc":
        stats = {"served": stats.get("served", 0), "meanWaitMs": stats.get("totalWait", 0.0) / n}
        model_events = 2 * n  # arrival + departure per customer, as the mxlab model counts them
    else:
        # arrival + send completion per attempt + retry wake-up, as the mxlab model counts them
        model_events = 2 * n + 2 * stats.get("retries", 0)
    print(json.dumps({"flavour": FLAVOUR, "events": model_events, "simpyEvents": events, "wallMs": wall_ms,
                      "cpuMs": cpu_ms, "endMs": end, "stats": stats}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
