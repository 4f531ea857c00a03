/**
 * Shared vocabulary of the core: Campaign failure types, reasons, address impact and statuses
 * (SPEC.md §2, §3, §5, §8). Every other module of `core/` speaks these types; the simulators and the
 * run store store them as they are (strings for enums, numbers for reasons).
 */

/** Failure types (SPEC §2). `undefined` is Campaign's "Not defined": the text is not qualified yet. */
export const FAILURE_TYPES = ['hard', 'soft', 'ignored', 'undefined'] as const;
export type FailureType = (typeof FAILURE_TYPES)[number];

/** Failure reasons with their technical values (SPEC §3). */
export const Reason = {
  NotDefined: 0,
  UserUnknown: 1,
  InvalidDomain: 2,
  Unreachable: 3,
  AccountDisabled: 4,
  MailboxFull: 5,
  NotConnected: 6,
  AddressNotSpecified: 7,
  Denylisted: 8,
  Quarantined: 9,
  Double: 10,
  ExcludedBySqlRule: 11,
  ExcludedAfterArbitration: 12,
  BadQualityAddress: 14,
  UnqualifiedAddress: 15,
  NotEligible: 16,
  TargetLimited: 17,
  Refused: 20,
  ErrorIgnored: 25,
  ControlAddress: 127,
} as const;
export type ReasonCode = (typeof Reason)[keyof typeof Reason];

/** Human names of the reasons, for reports. */
export const REASON_NAMES: Readonly<Record<number, string>> = {
  0: 'Not defined',
  1: 'User unknown',
  2: 'Invalid domain',
  3: 'Unreachable',
  4: 'Account disabled',
  5: 'Mailbox full',
  6: 'Not connected',
  7: 'Address not specified',
  8: 'Denylisted address',
  9: 'Address in quarantine',
  10: 'Double',
  11: 'Excluded by a SQL rule',
  12: 'Excluded after arbitration',
  14: 'Bad-quality address',
  15: 'Unqualified address',
  16: 'Not eligible for the offers',
  17: 'Target limited in size',
  20: 'Refused',
  25: 'Error ignored',
  127: 'Control address',
};

/** The SPEC §3 name of a reason value, for people (reports, CLI output); `reason N` for a value SPEC does not name. */
export function reasonName(reason: number): string {
  return REASON_NAMES[reason] ?? `reason ${reason}`;
}

/**
 * What a qualification does to the address (SPEC §11): quarantine at once, count toward the
 * soft-error threshold, nothing (sender/message/transport problem), denylist (complaint), or ok (not a failure).
 */
export const IMPACTS = ['quarantine', 'count', 'none', 'denylist', 'ok'] as const;
export type Impact = (typeof IMPACTS)[number];

/** Whether the message is retried (SPEC §6.3): from the SMTP code unless a rule overrides it. */
export const DISPOSITIONS = ['transient', 'permanent'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/** Where in the exchange a reply came from. `dns` is resolution, `async` a bounce mail or complaint. */
export const SMTP_PHASES = ['dns', 'connect', 'ehlo', 'mail', 'rcpt', 'data', 'async'] as const;
export type SmtpPhase = (typeof SMTP_PHASES)[number];

/** A parsed SMTP reply (RFC 5321 §4.2, RFC 3463). Never thrown: garbage gives `parseable: false`. */
export interface ParsedReply {
  /** false when no valid 3-digit reply code could be read */
  parseable: boolean;
  /** basic reply code, 200..599, or null */
  code: number | null;
  /** enhanced status code (`5.1.1`, `4.7.0`, `5.9.123`), or null */
  enhanced: string | null;
  /** the text after code and enhanced code, lines joined with a single space */
  text: string;
  /** the reply as received (possibly truncated for very long input) */
  raw: string;
}

/** The result of qualifying a reply, a bounce diagnostic or a transport error. */
export interface Qualification {
  type: FailureType;
  /** technical reason value (SPEC §3) */
  reason: number;
  impact: Impact;
  disposition: Disposition;
  /** name of the rule that matched; null for Not defined */
  rule: string | null;
  /** Momentum bounce class (SPEC §6.2) when known */
  bounceClass: number | null;
}

/** Address statuses of the quarantine table (SPEC §5), as small integers for typed-array storage. */
export const AddressStatus = {
  Valid: 0,
  WithErrors: 1,
  Quarantine: 2,
  Denylisted: 3,
  Allowlisted: 4,
} as const;
export type AddressStatusCode = (typeof AddressStatus)[keyof typeof AddressStatus];
export const ADDRESS_STATUS_NAMES = [
  'valid',
  'withErrors',
  'quarantine',
  'denylisted',
  'allowlisted',
] as const;
export type AddressStatusName = (typeof ADDRESS_STATUS_NAMES)[number];

/** Delivery log statuses (SPEC §8). */
export const LogStatus = {
  Pending: 0,
  Sent: 1,
  Failed: 2,
  Ignored: 3,
  Cancelled: 4,
  /** "Taken into account by the service provider": relayed, outcome not known yet (EFS mode) */
  TakenIntoAccount: 5,
} as const;
export type LogStatusCode = (typeof LogStatus)[keyof typeof LogStatus];
export const LOG_STATUS_NAMES = [
  'pending',
  'sent',
  'failed',
  'ignored',
  'cancelled',
  'takenIntoAccount',
] as const;
export type LogStatusName = (typeof LOG_STATUS_NAMES)[number];

/**
 * Qualification mode: legacy inbound-email rules, or Enhanced MTA bounce classes mapped to reasons.
 * Also the MTA's mode of a delivery (run store `deliveries.mode`).
 */
export const QUALIFICATION_MODES = ['legacy', 'enhanced'] as const;
export type QualificationMode = (typeof QUALIFICATION_MODES)[number];

/** Time in integer milliseconds since the start of the run (virtual or wall clock). */
export type Millis = number;

/**
 * Minute, hour and day in ms: the one declaration for core and everything above it (simulators, store,
 * reports, scenarios, tests). engine/time.ts keeps its own because neither layer may import the other;
 * core/time-units.test.ts pins the two equal.
 */
export const MINUTE: Millis = 60_000;
export const HOUR: Millis = 3_600_000;
export const DAY: Millis = 86_400_000;
