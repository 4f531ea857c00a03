/**
 * The technical mailbox of the in-process world: the same mails, in the same order, as
 * `SimulatedMailbox.drain`, but auto-replies, DSNs and complaints whose bytes are certain are written
 * directly ({@link fastAutoReply}, {@link fastDsn}, {@link fastArf}) instead of through MailComposer's
 * streams.
 */
import type { RawMail } from '../../core/ports.ts';
import type { Millis } from '../../core/types.ts';
import { type BuildOptions, buildFollowUpMail } from '../async-mail/build.ts';
import type { FollowUp } from '../isp/follow-up.ts';
import { SimulatedMailbox } from '../mailbox/technical-mailbox.ts';
import { fastAutoReply } from './fast-auto-reply.ts';
import { fastArf, fastDsn } from './fast-report.ts';

/** See the file comment. */
export class FastMailbox extends SimulatedMailbox {
  /** mails built by the fast path, and by MailComposer */
  readonly built = { fast: 0, composer: 0 };
  private readonly options: Omit<BuildOptions, 'seq'>;

  constructor(build: Omit<BuildOptions, 'seq'> = {}) {
    super(build);
    this.options = build;
  }

  override async drain(now: Millis): Promise<RawMail[]> {
    const due = this.takeDue(now);
    const mails: RawMail[] = [];
    for (const e of due) mails.push(await this.buildMail(e));
    return mails;
  }

  /** The mail of one follow-up `takeDue` handed out (what `drain` gives for it). */
  async buildMail(e: { f: FollowUp; seq: number }): Promise<RawMail> {
    const f = e.f;
    const epoch = this.options.startEpochMs;
    let data =
      f.kind === 'dsn'
        ? fastDsn(f, e.seq, epoch)
        : f.kind === 'arf'
          ? fastArf(f, e.seq, epoch)
          : fastAutoReply(f, e.seq, epoch);
    if (data === null) {
      this.built.composer++;
      data = await buildFollowUpMail(f, { ...this.options, seq: e.seq });
    } else this.built.fast++;
    return { source: `sim:${f.isp}:${f.kind}:${e.seq}`, data };
  }
}
