/** The MTA loop: wires preparation, shaping, transport, qualification, retries, quarantine and the log. */
export {
  MATCH_BY_NAMES,
  MatchBy,
  type MatchByName,
  messageIdHeader,
  messageToken,
  parseMessageId,
  parseVerp,
} from './async-match.ts';
export { IntQueue } from './int-queue.ts';
export { LivenessError } from './liveness.ts';
export {
  effectiveValidity,
  Mta,
  type MtaCounters,
  type MtaDelivery,
  type MtaOptions,
  type StopOutcome,
} from './mta.ts';
export { DEFAULT_MTA_SETTINGS, type MtaSettings } from './settings.ts';
export {
  ATTEMPT_OUTCOMES,
  type AttemptEvent,
  type AttemptOutcome,
  type InmailEvent,
  type MtaSink,
  NULL_SINK,
  type ThroughputEvent,
} from './sink.ts';
