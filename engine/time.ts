/**
 * Virtual time: integer milliseconds since the start of the run, with helpers to write durations
 * (`hours(2)`; duration text is parsed above the engine, in core/duration.ts) and the `dayN HH:MM`
 * calendar notation scenarios use (`day1 00:00` is the start of the run,
 * `day2 07:00` is 1 day and 7 hours later). With a start date set, ISO 8601 date-times are accepted
 * too and map to the offset from that date.
 */
import { EngineError } from './errors.ts';

/**
 * Milliseconds in one second, minute, hour and day: the engine's own, because it imports nothing of
 * ours; everything above the engine takes them from core/types.ts, pinned equal by
 * core/time-units.test.ts.
 */
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** `n` seconds in integer milliseconds (rounded). */
export function seconds(n: number): number {
  return Math.round(n * SECOND);
}

/** `n` minutes in integer milliseconds (rounded). */
export function minutes(n: number): number {
  return Math.round(n * MINUTE);
}

/** `n` hours in integer milliseconds (rounded). */
export function hours(n: number): number {
  return Math.round(n * HOUR);
}

/** `n` days in integer milliseconds (rounded). */
export function days(n: number): number {
  return Math.round(n * DAY);
}

function timeError(text: string, why: string): never {
  throw new EngineError('MXLAB_TIME', `bad time ${JSON.stringify(text)}: ${why}`);
}

const DAY_RE = /^day(\d+)(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/i;

/**
 * A time as users write it on the command line: `dayN HH:MM[:SS]` ({@link parseDayTime}) or a plain
 * integer of ms since the run started. Bad input throws `MXLAB_TIME` naming the text.
 */
export function parseTimeNotation(input: string): number {
  if (/^\s*\d+\s*$/.test(input)) return Number.parseInt(input, 10);
  return parseDayTime(input);
}

/**
 * Parses `dayN`, `dayN HH:MM`, `dayN HH:MM:SS` or `dayN HH:MM:SS.mmm` into ms since the run start.
 * Throws an {@link EngineError} with code `MXLAB_TIME` on anything else.
 */
export function parseDayTime(text: string): number {
  const m = DAY_RE.exec(text.trim());
  if (!m) return timeError(text, 'expected "dayN HH:MM" (day1 is the first day of the run)');
  const day = Number(m[1]);
  if (day < 1) timeError(text, 'day numbers start at 1 (day1 is the first day of the run)');
  const h = m[2] === undefined ? 0 : Number(m[2]);
  const min = m[3] === undefined ? 0 : Number(m[3]);
  const s = m[4] === undefined ? 0 : Number(m[4]);
  const ms = m[5] === undefined ? 0 : Number(m[5].padEnd(3, '0'));
  if (h > 23) timeError(text, `hour ${h} is out of range 0..23`);
  if (min > 59) timeError(text, `minute ${min} is out of range 0..59`);
  if (s > 59) timeError(text, `second ${s} is out of range 0..59`);
  const t = (day - 1) * DAY + h * HOUR + min * MINUTE + s * SECOND + ms;
  if (!Number.isSafeInteger(t)) timeError(text, 'day number is too large');
  return t;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Formats ms since the run start as `dayN HH:MM`, adding `:SS` and `.mmm` only when they are not
 * zero, so that `parseDayTime(formatDayTime(t)) === t` for every integer `t >= 0`.
 */
export function formatDayTime(t: number): string {
  if (!Number.isFinite(t) || t < 0) {
    throw new EngineError('MXLAB_TIME', `cannot format time ${t}: expected a finite number >= 0`);
  }
  const whole = Math.floor(t);
  const day = Math.floor(whole / DAY) + 1;
  let rest = whole % DAY;
  const h = Math.floor(rest / HOUR);
  rest %= HOUR;
  const min = Math.floor(rest / MINUTE);
  rest %= MINUTE;
  const s = Math.floor(rest / SECOND);
  const ms = rest % SECOND;
  let out = `day${day} ${pad2(h)}:${pad2(min)}`;
  if (s !== 0 || ms !== 0) out += `:${pad2(s)}`;
  if (ms !== 0) out += `.${String(ms).padStart(3, '0')}`;
  return out;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses an ISO 8601 date or date-time into epoch ms; without an offset it is taken as UTC. */
function parseIso(text: string): number {
  const src = text.trim();
  const m = ISO_RE.exec(src);
  if (!m) return timeError(text, 'expected an ISO 8601 date-time such as 2025-03-01T07:00:00Z');
  let norm = src.replace(' ', 'T');
  if (!m[1]) norm += norm.includes('T') ? 'Z' : 'T00:00:00Z';
  const t = Date.parse(norm);
  if (Number.isNaN(t)) timeError(text, 'not a valid calendar date');
  return t;
}

/**
 * Maps between virtual time and the notations users write. Without a start date only `dayN HH:MM`
 * is understood; with one, ISO date-times are too.
 */
export class Calendar {
  /** Epoch ms of `day1 00:00`, or undefined when the run has no start date. */
  readonly startEpochMs: number | undefined;

  /** @param start - the run's start date-time (ISO text, `Date` or epoch ms); ISO text without offset is UTC */
  constructor(start?: string | Date | number) {
    if (start === undefined) this.startEpochMs = undefined;
    else if (typeof start === 'string') this.startEpochMs = parseIso(start);
    else if (start instanceof Date) this.startEpochMs = start.getTime();
    else this.startEpochMs = start;
    if (this.startEpochMs !== undefined && !Number.isFinite(this.startEpochMs)) {
      throw new EngineError('MXLAB_TIME', `bad start date ${String(start)}`);
    }
  }

  /**
   * Parses `dayN HH:MM[:SS[.mmm]]`, or (with a start date) an ISO date-time, into ms since the run
   * start. ISO times before the start are an error.
   */
  parse(text: string): number {
    const src = text.trim();
    if (/^day/i.test(src)) return parseDayTime(text);
    if (/^\d{4}-/.test(src)) {
      if (this.startEpochMs === undefined) {
        timeError(text, 'ISO date-times need a start date for the run; use "dayN HH:MM" or set one');
      }
      const t = parseIso(text) - this.startEpochMs;
      if (t < 0)
        timeError(text, `before the start of the run (${new Date(this.startEpochMs).toISOString()})`);
      return t;
    }
    return timeError(text, 'expected "dayN HH:MM" or an ISO 8601 date-time');
  }

  /** Formats as `dayN HH:MM` (see {@link formatDayTime}). */
  format(t: number): string {
    return formatDayTime(t);
  }

  /** Formats as an ISO date-time (UTC); requires a start date. */
  formatIso(t: number): string {
    if (this.startEpochMs === undefined) {
      throw new EngineError('MXLAB_TIME', 'formatIso needs a start date for the run');
    }
    return new Date(this.startEpochMs + t).toISOString();
  }
}
