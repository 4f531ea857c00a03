/**
 * The `dayN HH:MM` notation for virtual time: day1 00:00 is the start of the run (t = 0 ms).
 * Used by CLI options (`--from day1 07:00`) and report texts. Parsing is the engine's.
 */
import { DAY, HOUR, MINUTE, type Millis } from '../core/types.ts';
import { parseDayTime } from '../engine/time.ts';

/**
 * Parses `dayN HH:MM[:SS]` into ms since the run started (`day1 00:00` is 0) with the engine's
 * calendar (engine/time.ts), and also accepts a plain integer of ms. Bad input throws the engine's
 * `MXLAB_TIME` error naming the text (exit code 2 in the CLI).
 */
export function parseTimeNotation(input: string): Millis {
  if (/^\s*\d+\s*$/.test(input)) return Number.parseInt(input, 10);
  return parseDayTime(input);
}

/** Formats ms since the run started as `dayN HH:MM` (minutes rounded down). */
export function formatTimeNotation(ms: Millis): string {
  const t = Math.max(0, Math.floor(ms));
  const day = Math.floor(t / DAY) + 1;
  const rest = t % DAY;
  const hh = Math.floor(rest / HOUR);
  const mm = Math.floor((rest % HOUR) / MINUTE);
  return `day${day} ${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}

/** A duration in short human form: `45s`, `12m`, `3h05m`, `2d04h`. */
export function formatDuration(ms: Millis): string {
  const t = Math.max(0, Math.round(ms));
  if (t < MINUTE) return `${Math.round(t / 1000)}s`;
  if (t < HOUR) return `${Math.floor(t / MINUTE)}m`;
  if (t < DAY) return `${Math.floor(t / HOUR)}h${String(Math.floor((t % HOUR) / MINUTE)).padStart(2, '0')}m`;
  return `${Math.floor(t / DAY)}d${String(Math.floor((t % DAY) / HOUR)).padStart(2, '0')}h`;
}
