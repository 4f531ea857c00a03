/**
 * The `dayN HH:MM` notation for virtual time: day1 00:00 is the start of the run (t = 0 ms).
 * Used by CLI options (`--from day1 07:00`) and report texts. Parsing is the engine's.
 */
import { DAY, HOUR, MINUTE, type Millis } from '../../core/types.ts';

/** `dayN HH:MM[:SS]` or ms, parsed by the engine (engine/time.ts owns the notation). */
export { parseTimeNotation } from '../../engine/time.ts';

/** Formats ms since the run started as `dayN HH:MM` (minutes rounded down). */
export function formatTimeNotation(ms: Millis): string {
  const t = Math.max(0, Math.floor(ms));
  const day = Math.floor(t / DAY) + 1;
  const rest = t % DAY;
  const hh = Math.floor(rest / HOUR);
  const mm = Math.floor((rest % HOUR) / MINUTE);
  return `day${day} ${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}

/**
 * A duration in short human form for tables, rounded to two units: `45s`, `12m`, `3h05m`, `2d04h`.
 * The exact form that parses back is core/duration.ts's `formatDurationExact`.
 */
export function formatDurationShort(ms: Millis): string {
  const t = Math.max(0, Math.round(ms));
  if (t < MINUTE) return `${Math.round(t / 1000)}s`;
  if (t < HOUR) return `${Math.floor(t / MINUTE)}m`;
  if (t < DAY) return `${Math.floor(t / HOUR)}h${String(Math.floor((t % HOUR) / MINUTE)).padStart(2, '0')}m`;
  return `${Math.floor(t / DAY)}d${String(Math.floor((t % DAY) / HOUR)).padStart(2, '0')}h`;
}
