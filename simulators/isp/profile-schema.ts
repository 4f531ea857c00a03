/**
 * Schema of ISP profiles (`simulators/isp/profiles/*.yaml`): which domains an ISP serves, its MX
 * hosts, and its reply script: per-phase replies by recipient truth, random deferrals, time windows
 * (outages), rate conditions, greylisting, accept-then-bounce, auto-replies and complaints.
 * Reply texts may contain `<rcpt>` (recipient address), `<domain>` (recipient domain) and
 * `x.x.x.x` (client IP); a multi-line reply is written with one line per line.
 */
import { z } from 'zod';
import { DAY, HOUR, MINUTE } from '../../core/types.ts';
import { TRUTH_KINDS } from '../population/truth.ts';
import { runTimeSchema } from './run-time.ts';

const replyText = z
  .string()
  .regex(/^[2-5]\d\d[ -]/, 'an SMTP reply starting with a 3-digit code, like "550 5.1.1 no such user"')
  .transform((s) => s.replace(/\r?\n/g, '\r\n'));
const phase = z.enum(['connect', 'ehlo', 'mail', 'rcpt', 'data']);
const probability = z.number().min(0).max(1);
/** A recipient truth a script answers by: the population's kinds, plus `stranger` (an address outside it). */
const truthKind = z.enum([...TRUTH_KINDS, 'stranger']);

/** A delay: uniform in [minMs, maxMs], or lognormal with a median and a sigma (capped at maxMs). */
export const delaySchema = z.union([
  z
    .strictObject({ minMs: z.number().min(0), maxMs: z.number().min(0) })
    .refine((d) => d.maxMs >= d.minMs, { message: 'maxMs must be >= minMs' }),
  z.strictObject({
    medianMs: z.number().positive(),
    sigma: z.number().min(0).max(5),
    maxMs: z.number().positive().optional(),
  }),
]);
export type Delay = z.output<typeof delaySchema>;

const phaseReply = z.strictObject({ phase, reply: replyText });

/** The full profile schema. */
export const ispProfileSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9-]+$/, 'kebab-case name'),
    description: z.string().optional(),
    /** exact domains served (lower case) */
    domains: z.array(z.string().min(1)).default([]),
    /** glob patterns (`*` = any run of characters) of further domains served, e.g. `m365-*.example` */
    domainPatterns: z.array(z.string().min(1)).default([]),
    /** serves every domain no other profile serves (exactly one profile should) */
    catchAll: z.boolean().default(false),
    /** MX hosts; `{domain}` in a host name becomes the recipient domain with dots as dashes */
    mx: z
      .array(
        z.strictObject({
          host: z.string().min(1),
          preference: z.number().int().min(0).max(65535),
          ips: z.number().int().min(1).max(64).default(1),
        }),
      )
      .min(1),
    /** host name of the reporting MTA in DSNs (default: the first MX host) */
    reportingMta: z.string().optional(),
    greeting: replyText.default('220 <mx> ESMTP ready'),
    ehlo: replyText.default('250 <mx> Hello'),
    accept: z
      .strictObject({
        mail: replyText.default('250 2.1.0 Sender OK'),
        rcpt: replyText.default('250 2.1.5 Recipient OK'),
        data: replyText.default('250 2.0.0 OK queued'),
      })
      .prefault({}),
    /** reply by recipient truth (`stranger`: an address no recipient owns); missing kinds are accepted */
    truth: z.partialRecord(truthKind, phaseReply).default({}),
    /** honour magic local parts (tempfail, permfail, 450-*, full, success, bounce, ooto, complaint) */
    magicLocalParts: z.boolean().default(true),
    /** random replies, tried in order, each with its own probability per message */
    random: z.array(z.strictObject({ phase, probability, reply: replyText })).default([]),
    /** time windows: outages, refused connections, timeouts, DNS failures */
    windows: z
      .array(
        z
          .strictObject({
            name: z.string().optional(),
            from: runTimeSchema,
            to: runTimeSchema,
            action: z.enum(['reply', 'refuse', 'timeout', 'nxdomain', 'servfail']).default('reply'),
            phase: phase.default('rcpt'),
            reply: replyText.optional(),
            /** only recipients of these truths (default: everyone) */
            truths: z.array(truthKind).optional(),
            /** only these recipient domains (default: every domain served) */
            domains: z.array(z.string()).optional(),
            probability: probability.default(1),
          })
          .refine((w) => w.to > w.from, { message: 'to must be after from', path: ['to'] })
          .refine((w) => w.action !== 'reply' || w.reply !== undefined, {
            message: 'a window with action "reply" needs a reply',
            path: ['reply'],
          }),
      )
      .default([]),
    /** deferral once more than `perHour` messages arrive from one client IP within an hour */
    rateLimits: z
      .array(
        z.strictObject({
          perHour: z.number().int().positive(),
          phase: phase.default('rcpt'),
          reply: replyText,
        }),
      )
      .default([]),
    /** block a client IP for a while once its complaint rate reaches `rate` over >= `minMessages` */
    complaintBlock: z
      .strictObject({
        rate: probability,
        minMessages: z.number().int().positive().default(1000),
        durationMs: z
          .number()
          .int()
          .positive()
          .default(4 * HOUR),
        phase: phase.default('mail'),
        reply: replyText,
      })
      .optional(),
    /** first attempt of a (client IP, sender, recipient) triplet is deferred for `delayMs` */
    greylisting: z
      .strictObject({
        delayMs: z
          .number()
          .int()
          .min(0)
          .default(5 * MINUTE),
        reply: replyText.default('451 4.7.1 <rcpt>: Recipient address rejected: Greylisted, try again later'),
        /**
         * how long a triplet not seen again is remembered (between this and twice this): the table of a
         * real greylisting server is bounded too, and a million-recipient run must not keep one entry
         * per recipient to the end
         */
        retainMs: z
          .number()
          .int()
          .positive()
          .default(24 * HOUR),
      })
      .optional(),
    /** accept recipients of these truths at RCPT, then bounce them as a DSN after `delay` */
    acceptThenBounce: z
      .strictObject({
        probability: probability,
        truths: z.array(truthKind).default(['unknown']),
        delay: delaySchema.default({ medianMs: 20 * MINUTE, sigma: 1.5, maxMs: 7 * DAY }),
        /**
         * the DSN returns the original header with the sender's Message-ID (RFC 3464 §2); false: with
         * another one (a relay rewrote it, as Amazon SES does), so only VERP or the address can match it
         */
        returnsMessageId: z.boolean().default(true),
      })
      .optional(),
    autoReply: z
      .strictObject({
        delay: delaySchema.default({ medianMs: 2 * MINUTE, sigma: 1, maxMs: DAY }),
        subject: z.string().default('Out of office'),
        text: z.string().default('I am out of the office and will read your message when I return.'),
      })
      .prefault({}),
    /** delay of ARF reports after the complaint itself (added to the recipient's complaint delay) */
    complaintReportDelay: delaySchema.default({ minMs: 0, maxMs: 10 * MINUTE }),
    /** per-phase latency of the server's answer */
    latency: z
      .strictObject({
        connect: delaySchema.default({ medianMs: 40, sigma: 0.5, maxMs: 30_000 }),
        ehlo: delaySchema.default({ medianMs: 15, sigma: 0.4, maxMs: 30_000 }),
        mail: delaySchema.default({ medianMs: 10, sigma: 0.4, maxMs: 30_000 }),
        rcpt: delaySchema.default({ medianMs: 20, sigma: 0.5, maxMs: 60_000 }),
        data: delaySchema.default({ medianMs: 120, sigma: 0.7, maxMs: 300_000 }),
      })
      .prefault({}),
  })
  .refine((p) => p.catchAll || p.domains.length > 0 || p.domainPatterns.length > 0, {
    message: 'a profile needs domains, domainPatterns or catchAll: true',
    path: ['domains'],
  });

/** A validated ISP profile. */
export type IspProfile = z.output<typeof ispProfileSchema>;
/** A profile as written (defaults not applied). */
export type IspProfileInput = z.input<typeof ispProfileSchema>;
/** SMTP phases a profile scripts. */
export type ScriptPhase = z.output<typeof phase>;
/** Truth kinds a script can match (`stranger` = no recipient owns the address). */
export type ScriptTruth = z.output<typeof truthKind>;
