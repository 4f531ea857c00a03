/** Draws delays (uniform or lognormal, see `delaySchema`) from a `RandomSource`. */
import type { RandomSource } from '../../core/ports.ts';
import type { Delay } from './profile-schema.ts';

/** Integer ms drawn from `d`. Lognormal uses Box-Muller with two draws; the result is capped at `maxMs`. */
export function sampleDelay(d: Delay, random: RandomSource): number {
  if ('minMs' in d) return Math.round(d.minMs + random.next() * (d.maxMs - d.minMs));
  if (d.sigma === 0) return Math.round(d.medianMs);
  const u1 = 1 - random.next();
  const u2 = random.next();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  const v = d.medianMs * Math.exp(d.sigma * z);
  return Math.round(d.maxMs !== undefined && v > d.maxMs ? d.maxMs : v);
}
