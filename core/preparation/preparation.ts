/**
 * Delivery preparation (SPEC §3): turns targets into messages, excluding with a reason those that are
 * never sent. One decision per target, in a fixed order ({@link EXCLUSION_ORDER}), each counted by
 * reason; nothing is dropped silently. Duplicates are found on the quarantine table's address ids with
 * a bitset, so 10 million targets cost about 1.25 MB for the check.
 */
import type { QuarantineTable } from '../quarantine/quarantine-table.ts';
import { AddressStatus, Reason } from '../types.ts';
import { GrowableBitset } from './bitset.ts';
import { DEFAULT_PREPARATION_SETTINGS, type PreparationSettings } from './settings.ts';

/** One recipient of the delivery's target. */
export interface PreparationTarget {
  recipientId: number;
  /** the address as stored; null, undefined or blank is reason 7 */
  address: string | null | undefined;
  /** member of the control group: reason 127 */
  inControlGroup?: boolean;
  /** excluded by a typology rule: 11 (SQL rule), 12 (arbitration), 14 (bad-quality address), 15 (unqualified address), 16 (not eligible) */
  typologyExcluded?: 11 | 12 | 14 | 15 | 16 | null;
  /**
   * The address's quarantine-table id when the caller interned it already (a population reused by
   * several deliveries, or an address book's id): skips the string lookup. Must be
   * `quarantine.idOf(address)`, i.e. an id the table already gave out or its address book's id.
   */
  addressId?: number;
}

/** Reasons a typology rule excludes with (SPEC §3). */
const TYPOLOGY_REASONS: ReadonlySet<number> = new Set([11, 12, 14, 15, 16]);

/** {@link DeliveryPreparation.decide}: the target becomes a message sent normally. */
export const SEND = -1;

/**
 * The order exclusions are checked in: a target gets the first that applies. Address-level checks come
 * first, then the marketing ones, and the size cap last so that it only counts messages that would go.
 * An allowlisted address passes the quarantine checks and is sent with reason 25.
 */
export const EXCLUSION_ORDER: readonly number[] = [
  Reason.AddressNotSpecified,
  Reason.Double,
  Reason.Denylisted,
  Reason.Quarantined,
  Reason.ExcludedBySqlRule,
  Reason.ExcludedAfterArbitration,
  Reason.ControlAddress,
  Reason.TargetLimited,
];

/** Misuse of the preparation API (a malformed target); the message names the target and field. */
export class PreparationError extends Error {
  readonly code = 'MXLAB_PREPARATION';
  constructor(message: string) {
    super(message);
    this.name = 'PreparationError';
  }
}

/** Counts of one delivery's preparation. */
export interface PreparationSummary {
  targeted: number;
  /** messages to send, allowlisted ones included */
  messages: number;
  /** of which sent although allowlisted errors are ignored (reason 25) */
  allowlisted: number;
  excluded: number;
  /** exclusions by reason (only reasons that occurred) */
  excludedByReason: Record<number, number>;
}

/** Prepares one delivery. Create one per delivery (the duplicate check is per delivery). */
export class DeliveryPreparation {
  readonly settings: Readonly<PreparationSettings>;
  /** address id of the target last decided, -1 when it had no address */
  lastAddressId = -1;
  private readonly seen = new GrowableBitset();
  private readonly byReason = new Float64Array(256);
  private targeted = 0;
  private messages = 0;
  private allowlisted = 0;

  constructor(
    private readonly quarantine: QuarantineTable,
    settings: Partial<PreparationSettings> = {},
  ) {
    this.settings = Object.freeze({ ...DEFAULT_PREPARATION_SETTINGS, ...settings });
    const max = this.settings.maxMessages;
    if (max !== null && !(Number.isInteger(max) && max >= 0))
      throw new PreparationError(
        `preparation settings: maxMessages: expected a non-negative integer or null, got ${max}`,
      );
  }

  /**
   * Decides one target: {@link SEND}, `Reason.ErrorIgnored` (25: allowlisted, sent anyway), or the
   * exclusion reason (7, 8, 9, 10, 11, 12, 17, 127). The target's address id is in `lastAddressId`.
   */
  decide(target: PreparationTarget): number {
    const index = this.targeted;
    this.lastAddressId = -1;
    const { address, typologyExcluded } = target;
    if (!Number.isInteger(target.recipientId))
      throw new PreparationError(
        `target #${index}: recipientId: expected an integer, got ${String(target.recipientId)}`,
      );
    if (
      typologyExcluded !== undefined &&
      typologyExcluded !== null &&
      !TYPOLOGY_REASONS.has(typologyExcluded)
    )
      throw new PreparationError(
        `target #${index} (recipient ${target.recipientId}): typologyExcluded: expected 11, 12, 14, 15 or 16, got ${String(typologyExcluded)}`,
      );
    if (address !== null && address !== undefined && typeof address !== 'string')
      throw new PreparationError(
        `target #${index} (recipient ${target.recipientId}): address: expected a string, got ${typeof address}`,
      );
    this.targeted++;
    if (address === null || address === undefined || address.trim() === '')
      return this.exclude(Reason.AddressNotSpecified);
    const given = target.addressId;
    let id: number;
    if (given === undefined) id = this.quarantine.idOf(address);
    else if (this.quarantine.isIdOf(given, address)) id = given;
    else {
      this.targeted--;
      throw new PreparationError(
        `target #${index} (recipient ${target.recipientId}): addressId: ${given} is not the id of "${address}" in the quarantine table`,
      );
    }
    this.lastAddressId = id;
    if (this.seen.testAndSet(id)) return this.exclude(Reason.Double);
    const status = this.quarantine.status(id);
    if (status === AddressStatus.Denylisted) return this.exclude(Reason.Denylisted);
    if (status === AddressStatus.Quarantine) return this.exclude(Reason.Quarantined);
    if (typologyExcluded) return this.exclude(typologyExcluded);
    if (target.inControlGroup) return this.exclude(Reason.ControlAddress);
    const max = this.settings.maxMessages;
    if (max !== null && this.messages >= max) return this.exclude(Reason.TargetLimited);
    this.messages++;
    if (status === AddressStatus.Allowlisted) {
      this.allowlisted++;
      return Reason.ErrorIgnored;
    }
    return SEND;
  }

  /** How many targets were excluded with `reason` so far. */
  excludedCount(reason: number): number {
    return this.byReason[reason & 255]!;
  }

  /** The counts so far. `targeted === messages + excluded` always holds. */
  summary(): PreparationSummary {
    const excludedByReason: Record<number, number> = {};
    let excluded = 0;
    for (let r = 0; r < 256; r++) {
      const n = this.byReason[r]!;
      if (n > 0) {
        excludedByReason[r] = n;
        excluded += n;
      }
    }
    return {
      targeted: this.targeted,
      messages: this.messages,
      allowlisted: this.allowlisted,
      excluded,
      excludedByReason,
    };
  }

  private exclude(reason: number): number {
    this.byReason[reason]!++;
    return reason;
  }
}

/** One decided target from {@link prepareDelivery}. */
export interface PreparedTarget {
  recipientId: number;
  /** quarantine-table id of the address, -1 when it had none */
  addressId: number;
  address: string | null;
  /** true when a message is to be sent */
  send: boolean;
  /** null for a normal send, 25 for an allowlisted send, else the exclusion reason */
  reason: number | null;
}

/** Streams a target through a preparation: one {@link PreparedTarget} per target, in order. */
export function* prepareDelivery(
  targets: Iterable<PreparationTarget>,
  prep: DeliveryPreparation,
): Generator<PreparedTarget, PreparationSummary> {
  for (const t of targets) {
    const r = prep.decide(t);
    yield {
      recipientId: t.recipientId,
      addressId: prep.lastAddressId,
      address: typeof t.address === 'string' ? t.address : null,
      send: r === SEND || r === Reason.ErrorIgnored,
      reason: r === SEND ? null : r,
    };
  }
  return prep.summary();
}
