/**
 * The brains' time in serve mode: run time (ms since `day1 00:00`) advancing with the wall clock,
 * `speed` times faster, from `startAtMs`. Profile and scenario windows are run times, so a window
 * `day1 07:00`–`day1 13:00` served with `--speed 60` opens 7 wall minutes after start.
 */
import type { Clock } from '../../core/ports.ts';

/** Options of `scaledWallClock`. */
export interface WallClockOptions {
  /** virtual ms per wall ms (default 1) */
  speed?: number;
  /** run time at start (default 0, i.e. `day1 00:00`) */
  startAtMs?: number;
  /** wall time source in ms (default `Date.now`; tests pass their own) */
  wallNow?: () => number;
}

/** A clock whose `now()` is `startAtMs + (wall − wall at creation) × speed`, never going back. */
export function scaledWallClock(options: WallClockOptions = {}): Clock {
  const speed = options.speed ?? 1;
  const start = options.startAtMs ?? 0;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`wall clock: speed must be > 0, got ${speed}`);
  if (!(start >= 0) || !Number.isFinite(start))
    throw new Error(`wall clock: start must be >= 0 ms, got ${start}`);
  const wallNow = options.wallNow ?? Date.now;
  const t0 = wallNow();
  let last = start;
  return {
    now(): number {
      const t = start + Math.floor((wallNow() - t0) * speed);
      // the wall clock may step back (NTP): run time does not
      if (t > last) last = t;
      return last;
    },
  };
}
