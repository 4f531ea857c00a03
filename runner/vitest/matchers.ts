/**
 * Matchers on a run (what `runScenario` returns) for users' own vitest suites, registered by
 * importing `mxlab/vitest`:
 *
 * - `expect(run).toHaveNoFalseQuarantines()`: no valid address (ground truth) ended in quarantine.
 * - `await expect(run).toQuarantine(address, { rule })`: the run left `address` in quarantine (by
 *   the qualification rule `rule`, when given: the rule of its last move to quarantine).
 */
import { openRunStore, type RunStore } from '../../store/index.ts';
import type { RunResult } from '../run-scenario.ts';

/** What the matchers need of a run: its summary, folder and (optional) open store. */
export type RunLike = Pick<RunResult, 'summary' | 'out' | 'store'>;

export interface QuarantineOptions {
  /** the qualification rule that must have quarantined the address */
  rule?: string;
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
  actual?: unknown;
  expected?: unknown;
}

function isRun(v: unknown): v is RunLike {
  return typeof v === 'object' && v !== null && 'summary' in v && 'out' in v;
}

function notARun(name: string, v: unknown): MatcherResult {
  return {
    pass: false,
    message: () => `${name}: expected a run (what runScenario returns), got ${typeof v}`,
  };
}

export function toHaveNoFalseQuarantines(this: { isNot: boolean }, run: unknown): MatcherResult {
  if (!isRun(run)) return notARun('toHaveNoFalseQuarantines', run);
  const q = run.summary.quarantine;
  const n = q.falseQuarantines;
  return {
    pass: n === 0,
    message: () =>
      this.isNot
        ? `expected the run in ${run.out} to quarantine some valid address, it quarantined none`
        : `expected no false quarantine, the run in ${run.out} quarantined ${n} valid address(es) (of ${q.addresses} quarantined)`,
    actual: n,
    expected: 0,
  };
}

/** The address's final status and the rule of its last move to quarantine. */
interface AddressFate {
  status: string;
  rule: string | null;
  /** what moved it to quarantine last (sync, async, complaint, cleanup, initial: before the run) */
  cause: string | null;
  /** its status in the quarantine table before the run (null if not a recipient) */
  initial: string | null;
  text: string | null;
}

async function fateOf(run: RunLike, address: string): Promise<AddressFate | undefined> {
  const store: RunStore = run.store ?? (await openRunStore(run.out));
  try {
    return await store.get<AddressFate>(
      `SELECT q.status::VARCHAR AS status, q.text, h.rule, h.cause::VARCHAR AS cause,
              (SELECT initial_status::VARCHAR FROM recipients WHERE address = $1 LIMIT 1) AS initial
         FROM quarantine q
         LEFT JOIN (SELECT address, rule, cause FROM quarantine_history
                     WHERE address = $1 AND new_status = 'quarantine'
                     ORDER BY t DESC LIMIT 1) h USING (address)
        WHERE q.address = $1`,
      [address],
    );
  } finally {
    if (!run.store) store.close();
  }
}

export async function toQuarantine(
  this: { isNot: boolean },
  run: unknown,
  address: string,
  options: QuarantineOptions = {},
): Promise<MatcherResult> {
  if (!isRun(run)) return notARun('toQuarantine', run);
  const fate = await fateOf(run, address);
  const quarantined = fate?.status === 'quarantine';
  const byRule = options.rule === undefined || fate?.rule === options.rule;
  const what = options.rule === undefined ? address : `${address} by rule ${options.rule}`;
  const got = !fate
    ? 'the run never touched it'
    : `it ended ${fate.status}${
        fate.rule
          ? ` (last quarantined by rule ${fate.rule})`
          : fate.cause === 'initial' || fate.initial === 'quarantine'
            ? ' (quarantined before the run)'
            : fate.cause
              ? ` (quarantined by ${fate.cause}, no rule)`
              : ''
      }${fate.text ? `: ${fate.text}` : ''}`;
  return {
    pass: quarantined && byRule,
    message: () =>
      this.isNot
        ? `expected the run not to quarantine ${what}, ${got}`
        : `expected the run to quarantine ${what}, ${got}`,
    actual: fate ? { status: fate.status, rule: fate.rule } : undefined,
    expected: { status: 'quarantine', ...(options.rule === undefined ? {} : { rule: options.rule }) },
  };
}

export const matchers = { toHaveNoFalseQuarantines, toQuarantine };
