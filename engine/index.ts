/**
 * mxlab's discrete-event engine: virtual clock, integer-coded event queue, run loops (sync and
 * async), seeded named random streams. It knows nothing about email.
 */
export { EngineError, type EngineErrorCode } from './errors.ts';
export { EventQueue, MAX_EVENT_ID, MAX_KIND } from './event-queue.ts';
export { hashName, logFactorial, RandomStream, RandomStreams, streamState, WeightedTable } from './random.ts';
export {
  type ConcurrentHandler,
  type EventHandler,
  type ProgressInfo,
  type ProgressOptions,
  type RunEnd,
  Simulation,
  type SimulationOptions,
  type TraceHook,
} from './simulation.ts';
export {
  Calendar,
  DAY,
  days,
  formatDayTime,
  HOUR,
  hours,
  MINUTE,
  minutes,
  parseDayTime,
  parseTimeNotation,
  SECOND,
  seconds,
} from './time.ts';
