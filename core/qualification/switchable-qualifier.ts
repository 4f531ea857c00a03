/**
 * A qualifier whose rules can change during a run: the MTA and inMail hold this one, and `use`
 * swaps the qualifier behind it (an operator's rule change, a rule-sync refresh, the
 * "deliverability update"). Every call after `use` qualifies with the new rules.
 */
import type { ParsedReply, Qualification, QualificationMode } from '../types.ts';
import type { MessageReplyLike, Qualifier, QualifyContext } from './qualifier.ts';
import type { RuleSet } from './rule-schema.ts';

export class SwitchableQualifier implements Qualifier {
  private q: Qualifier;

  constructor(initial: Qualifier) {
    this.q = initial;
  }

  /** Qualifies with `next` from now on; its mode must be the same. */
  use(next: Qualifier): void {
    if (next.mode !== this.q.mode)
      throw new Error(`qualifier: cannot switch from ${this.q.mode} to ${next.mode} rules`);
    this.q = next;
  }

  /** The qualifier in force. */
  current(): Qualifier {
    return this.q;
  }

  get mode(): QualificationMode {
    return this.q.mode;
  }

  get ruleSet(): RuleSet {
    return this.q.ruleSet;
  }

  get bounceRuleSet(): RuleSet | null {
    return this.q.bounceRuleSet;
  }

  qualify(reply: ParsedReply | MessageReplyLike | string, ctx?: QualifyContext): Qualification {
    return this.q.qualify(reply, ctx);
  }

  qualifyText(text: string, ctx?: QualifyContext): Qualification {
    return this.q.qualifyText(text, ctx);
  }
}
