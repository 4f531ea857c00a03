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
  .transform((s) => s.replace(/\r?\n/g, '\r\n'))
  .describe(
    'SMTP reply: a 3-digit code, an optional enhanced status, text; <rcpt>, <domain>, x.x.x.x are filled in',
  );
const phase = z
  .enum(['connect', 'ehlo', 'mail', 'rcpt', 'data'])
  .describe('SMTP phase the reply is given at: connect, ehlo, mail, rcpt or data');
const probability = z.number().min(0).max(1).describe('probability, 0 to 1');
/** A recipient truth a script answers by: the population's kinds, plus `stranger` (an address outside it). */
const truthKind = z.enum([...TRUTH_KINDS, 'stranger']);

/** A delay: uniform in [minMs, maxMs], or lognormal with a median and a sigma (capped at maxMs). */
export const delaySchema = z.union([
  z
    .strictObject({
      minMs: z.number().min(0).describe('uniform delay: shortest, ms'),
      maxMs: z.number().min(0).describe('uniform delay: longest, ms'),
    })
    .refine((d) => d.maxMs >= d.minMs, { message: 'maxMs must be >= minMs' }),
  z.strictObject({
    medianMs: z.number().positive().describe('lognormal delay: median, ms'),
    sigma: z.number().min(0).max(5).describe('lognormal delay: sigma of the log (0: always the median)'),
    maxMs: z.number().positive().optional().describe('lognormal delay: cap, ms'),
  }),
]);
export type Delay = z.output<typeof delaySchema>;

const phaseReply = z
  .strictObject({ phase, reply: replyText })
  .describe('the reply given to such recipients, and at which phase');

/** The full profile schema. */
export const ispProfileSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'kebab-case name')
      .describe('kebab-case name of the profile (scenarios select profiles by it)'),
    description: z.string().optional().describe('what the ISP is and what the script models'),
    /** exact domains served (lower case) */
    domains: z.array(z.string().min(1)).default([]).describe('exact domains served (lower case)'),
    /** glob patterns (`*` = any run of characters) of further domains served, e.g. `m365-*.example` */
    domainPatterns: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'glob patterns (`*` = any run of characters) of further domains served, e.g. `m365-*.example`',
      ),
    /** serves every domain no other profile serves (exactly one profile should) */
    catchAll: z
      .boolean()
      .default(false)
      .describe('serves every domain no other profile serves (exactly one profile should)'),
    /** MX hosts; `{domain}` in a host name becomes the recipient domain with dots as dashes */
    mx: z
      .array(
        z.strictObject({
          host: z
            .string()
            .min(1)
            .describe('MX host name; {domain} becomes the recipient domain, dots as dashes'),
          preference: z.number().int().min(0).max(65535).describe('MX preference: lower is tried first'),
          ips: z.number().int().min(1).max(64).default(1).describe('how many IP addresses the host has'),
        }),
      )
      .min(1)
      .describe('MX hosts; `{domain}` in a host name becomes the recipient domain with dots as dashes'),
    /** host name of the reporting MTA in DSNs (default: the first MX host) */
    reportingMta: z
      .string()
      .optional()
      .describe('host name of the reporting MTA in DSNs (default: the first MX host)'),
    greeting: replyText
      .default('220 <mx> ESMTP ready')
      .describe('the 220 greeting on connect (default "220 <mx> ESMTP ready")'),
    ehlo: replyText.default('250 <mx> Hello').describe('the reply to EHLO (default "250 <mx> Hello")'),
    starttls: z
      .boolean()
      .default(true)
      .describe(
        'the MX offers STARTTLS (default true); false: a session under an MX rule with tls: required fails with a TLS error before any message',
      ),
    accept: z
      .strictObject({
        mail: replyText
          .default('250 2.1.0 Sender OK')
          .describe('reply accepting MAIL FROM (default "250 2.1.0 Sender OK")'),
        rcpt: replyText
          .default('250 2.1.5 Recipient OK')
          .describe('reply accepting RCPT TO (default "250 2.1.5 Recipient OK")'),
        data: replyText
          .default('250 2.0.0 OK queued')
          .describe('reply accepting the message after DATA (default "250 2.0.0 OK queued")'),
      })
      .prefault({})
      .describe('replies when nothing in the script objects'),
    /** reply by recipient truth (`stranger`: an address no recipient owns); missing kinds are accepted */
    truth: z
      .partialRecord(truthKind, phaseReply)
      .default({})
      .describe(
        'reply by recipient truth (`stranger`: an address no recipient owns); missing kinds are accepted',
      ),
    /** honour magic local parts (tempfail, permfail, 450-*, full, success, bounce, ooto, complaint) */
    magicLocalParts: z
      .boolean()
      .default(true)
      .describe(
        'honour magic local parts (tempfail, permfail, 450-*, full, success, bounce, ooto, complaint)',
      ),
    /** random replies, tried in order, each with its own probability per message */
    random: z
      .array(z.strictObject({ phase, probability, reply: replyText }))
      .default([])
      .describe('random replies, tried in order, each with its own probability per message'),
    /** time windows: outages, refused connections, timeouts, DNS failures */
    windows: z
      .array(
        z
          .strictObject({
            name: z.string().optional().describe('name of the window, for reports'),
            from: runTimeSchema.describe('start: "dayN HH:MM" or ms since the start of the run'),
            to: runTimeSchema.describe('end (exclusive): "dayN HH:MM" or ms since the start of the run'),
            action: z
              .enum(['reply', 'refuse', 'timeout', 'nxdomain', 'servfail'])
              .default('reply')
              .describe(
                'reply (give `reply`), refuse the connection, time out, or fail DNS (nxdomain, servfail)',
              ),
            phase: phase.default('rcpt').describe('the phase at which `reply` is given'),
            reply: replyText.optional().describe('the reply during the window (action reply)'),
            /** only recipients of these truths (default: everyone) */
            truths: z
              .array(truthKind)
              .optional()
              .describe('only recipients of these truths (default: everyone)'),
            /** only these recipient domains (default: every domain served) */
            domains: z
              .array(z.string())
              .optional()
              .describe('only these recipient domains (default: every domain served)'),
            probability: probability
              .default(1)
              .describe('share of the messages the window applies to, 0 to 1'),
          })
          .refine((w) => w.to > w.from, { message: 'to must be after from', path: ['to'] })
          .refine((w) => w.action !== 'reply' || w.reply !== undefined, {
            message: 'a window with action "reply" needs a reply',
            path: ['reply'],
          }),
      )
      .default([])
      .describe('time windows: outages, refused connections, timeouts, DNS failures'),
    /** deferral once more than `perHour` messages arrive from one client IP within an hour */
    rateLimits: z
      .array(
        z.strictObject({
          perHour: z
            .number()
            .int()
            .positive()
            .describe('messages per hour from one client IP before deferring'),
          phase: phase.default('rcpt').describe('the phase at which the deferral is given'),
          reply: replyText.describe('the deferral reply'),
        }),
      )
      .default([])
      .describe('deferral once more than `perHour` messages arrive from one client IP within an hour'),
    /** block a client IP for a while once its complaint rate reaches `rate` over >= `minMessages` */
    complaintBlock: z
      .strictObject({
        rate: probability.describe('complaint rate (complaints / messages) that blocks, 0 to 1'),
        minMessages: z
          .number()
          .int()
          .positive()
          .default(1000)
          .describe('messages from the client IP before the rate counts'),
        durationMs: z
          .number()
          .int()
          .positive()
          .default(4 * HOUR)
          .describe('how long the block lasts, ms'),
        phase: phase.default('mail').describe('the phase at which blocked messages are refused'),
        reply: replyText.describe('the refusal while blocked'),
      })
      .optional()
      .describe('block a client IP for a while once its complaint rate reaches `rate` over >= `minMessages`'),
    /** first attempt of a (client IP, sender, recipient) triplet is deferred for `delayMs` */
    greylisting: z
      .strictObject({
        delayMs: z
          .number()
          .int()
          .min(0)
          .default(5 * MINUTE)
          .describe('a retry of the triplet before this is deferred again, ms'),
        reply: replyText
          .describe(
            'the greylisting deferral (default "451 4.7.1 <rcpt>: Recipient address rejected: Greylisted, try again later")',
          )
          .default('451 4.7.1 <rcpt>: Recipient address rejected: Greylisted, try again later'),
        /**
         * how long a triplet not seen again is remembered (between this and twice this): the table of a
         * real greylisting server is bounded too, and a million-recipient run must not keep one entry
         * per recipient to the end
         */
        retainMs: z
          .number()
          .int()
          .positive()
          .default(24 * HOUR)
          .describe(
            'how long a triplet not seen again is remembered (between this and twice this): the table of a real greylisting server is bounded too, and a million-recipient run must not keep one entry per recipient to the end',
          ),
      })
      .optional()
      .describe('first attempt of a (client IP, sender, recipient) triplet is deferred for `delayMs`'),
    /** accept recipients of these truths at RCPT, then bounce them as a DSN after `delay` */
    acceptThenBounce: z
      .strictObject({
        probability: probability.describe('share of those recipients accepted then bounced, 0 to 1'),
        truths: z.array(truthKind).default(['unknown']).describe('recipient truths accepted then bounced'),
        delay: delaySchema
          .default({ medianMs: 20 * MINUTE, sigma: 1.5, maxMs: 7 * DAY })
          .describe('time from acceptance to the DSN'),
        /**
         * the DSN returns the original header with the sender's Message-ID (RFC 3464 §2); false: with
         * another one (a relay rewrote it, as Amazon SES does), so only VERP or the address can match it
         */
        returnsMessageId: z
          .boolean()
          .default(true)
          .describe(
            "the DSN returns the original header with the sender's Message-ID (RFC 3464 §2); false: with another one (a relay rewrote it, as Amazon SES does), so only VERP or the address can match it",
          ),
      })
      .optional()
      .describe('accept recipients of these truths at RCPT, then bounce them as a DSN after `delay`'),
    autoReply: z
      .strictObject({
        delay: delaySchema
          .default({ medianMs: 2 * MINUTE, sigma: 1, maxMs: DAY })
          .describe('time from delivery to the auto-reply'),
        subject: z.string().default('Out of office').describe('subject of the auto-reply'),
        text: z
          .string()
          .default('I am out of the office and will read your message when I return.')
          .describe('body of the auto-reply'),
      })
      .prefault({})
      .describe('the auto-reply sent for recipients of truth autoResponder'),
    /** delay of ARF reports after the complaint itself (added to the recipient's complaint delay) */
    complaintReportDelay: delaySchema
      .default({ minMs: 0, maxMs: 10 * MINUTE })
      .describe("delay of ARF reports after the complaint itself (added to the recipient's complaint delay)"),
    /** per-phase latency of the server's answer */
    latency: z
      .strictObject({
        connect: delaySchema
          .default({ medianMs: 40, sigma: 0.5, maxMs: 30_000 })
          .describe('connect to greeting'),
        ehlo: delaySchema.default({ medianMs: 15, sigma: 0.4, maxMs: 30_000 }).describe('EHLO to its reply'),
        mail: delaySchema
          .default({ medianMs: 10, sigma: 0.4, maxMs: 30_000 })
          .describe('MAIL FROM to its reply'),
        rcpt: delaySchema
          .default({ medianMs: 20, sigma: 0.5, maxMs: 60_000 })
          .describe('RCPT TO to its reply'),
        data: delaySchema
          .default({ medianMs: 120, sigma: 0.7, maxMs: 300_000 })
          .describe('end of DATA to its reply'),
      })
      .prefault({})
      .describe("per-phase latency of the server's answer"),
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
