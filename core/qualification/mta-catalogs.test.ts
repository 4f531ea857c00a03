/**
 * Issue #20: bounce and reply wordings quoted from the MTAs' and providers' own message catalogs
 * (source code, postmaster pages, NDR reference pages; each rule's `source:` names them) qualify as
 * those sources say, with the full shipped rules and with no rule that a corpus family shaped, so they
 * qualify the same for mail from MTAs no corpus text came from. No text here comes from the corpus.
 */
import { describe, expect, it } from 'vitest';
import { createQualifier, defaultRuleSet } from '../../node/index.ts';

type Phase = 'async' | 'rcpt' | 'mail';
const CATALOG: [catalog: string, phase: Phase, text: string, reason: number][] = [
  // qmail-remote.c / qmail-local / qmail-lspawn
  [
    'qmail-remote.c / qmail-local / qmail-lspawn',
    'async',
    "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)",
    3,
  ],
  [
    'qmail-remote.c / qmail-local / qmail-lspawn',
    'async',
    "Sorry, I couldn't find any host by that name. (#4.1.2)",
    2,
  ],
  [
    'qmail-remote.c / qmail-local / qmail-lspawn',
    'async',
    "Sorry, I couldn't find any host named example.net. (#5.1.2)",
    2,
  ],
  [
    'qmail-remote.c / qmail-local / qmail-lspawn',
    'async',
    "Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)",
    2,
  ],
  ['qmail-remote.c / qmail-local / qmail-lspawn', 'async', 'Connected to 192.0.2.1 but greeting failed.', 3],
  [
    'qmail-remote.c / qmail-local / qmail-lspawn',
    'async',
    'Connected to 192.0.2.1 but my name was rejected.',
    20,
  ],
  [
    'qmail-remote.c / qmail-local / qmail-lspawn',
    'async',
    'Connected to 192.0.2.1 but sender was rejected.',
    20,
  ],
  [
    'qmail-remote.c / qmail-local / qmail-lspawn',
    'async',
    'Connected to 192.0.2.1 but connection died. (#4.4.2)',
    3,
  ],
  ['qmail-remote.c / qmail-local / qmail-lspawn', 'async', 'CNAME lookup failed temporarily. (#4.4.3)', 3],
  [
    'qmail-remote.c / qmail-local / qmail-lspawn',
    'async',
    'Sorry, no mailbox here by that name. (#5.1.1)',
    1,
  ],
  ['qmail-remote.c / qmail-local / qmail-lspawn', 'async', 'This address no longer accepts mail.', 1],
  [
    'qmail-remote.c / qmail-local / qmail-lspawn',
    'async',
    "Recipient's mailbox is full, message returned to sender. (#5.2.2)",
    5,
  ],
  // Exim
  ['Exim', 'async', 'retry time not reached for any host after a long failure period', 3],
  [
    'Exim',
    'async',
    'all hosts have been failing for a long time and were last tried after this message arrived',
    3,
  ],
  ['Exim', 'async', 'retry timeout exceeded', 3],
  ['Exim', 'async', 'all relevant MX records point to non-existent hosts', 2],
  ['Exim', 'async', 'an MX or SRV record indicated no SMTP service', 2],
  [
    'Exim',
    'async',
    'SMTP error from remote mail server after MAIL FROM:<sender@example.com> SIZE=1234: 550 Administrative prohibition',
    20,
  ],
  [
    'Exim',
    'async',
    'SMTP error from remote mail server after initial connection: 554 mx.example.net ESMTP not accepting messages',
    20,
  ],
  ['Exim', 'async', 'mailbox is full (MTA-imposed quota exceeded while writing to /var/mail/user)', 5],
  ['Exim', 'async', 'host lookup did not complete', 2],
  ['Exim', 'async', 'Too many "Received" headers - suspected mail loop', 20],
  // Postfix
  [
    'Postfix',
    'async',
    'Host or domain name not found. Name service error for name=example.net type=MX: Host not found, try again',
    2,
  ],
  ['Postfix', 'async', 'mail for example.net loops back to myself', 3],
  ['Postfix', 'async', 'unknown user: "kijitora"', 1],
  [
    'Postfix',
    'async',
    'cannot update mailbox /var/mail/kijitora for user kijitora. error writing message: File too large',
    5,
  ],
  ['Postfix', 'async', 'maildir delivery failed: error writing message: Disk quota exceeded', 5],
  ['Postfix', 'async', 'connect to mx.example.net[192.0.2.1]:25: Connection refused', 3],
  [
    'Postfix',
    'async',
    'conversation with mx.example.net[192.0.2.1] timed out while receiving the initial server greeting',
    3,
  ],
  ['Postfix', 'async', 'lost connection with mx.example.net[192.0.2.1] while sending RCPT TO', 3],
  [
    'Postfix',
    'async',
    'delivery temporarily suspended: connect to mx.example.net[192.0.2.1]:25: Connection timed out',
    3,
  ],
  [
    'Postfix',
    'rcpt',
    '554 5.7.1 <unknown[192.0.2.1]>: Client host rejected: cannot find your hostname, [192.0.2.1]',
    20,
  ],
  ['Postfix', 'rcpt', '504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname', 20],
  ['Postfix', 'rcpt', '450 4.1.2 <kijitora@example.net>: Recipient address rejected: Domain not found', 2],
  [
    'Postfix',
    'rcpt',
    '550 5.1.1 <kijitora@example.net>: Recipient address rejected: User unknown in virtual mailbox table',
    1,
  ],
  [
    'Postfix',
    'async',
    'message size 123456 exceeds size limit 10240000 of server mx.example.net[192.0.2.1]',
    20,
  ],
  // Sendmail
  ['Sendmail', 'async', 'Host unknown (Name server: example.net: host not found)', 2],
  ['Sendmail', 'async', 'Deferred: Connection timed out with mx.example.net.', 3],
  ['Sendmail', 'async', 'Cannot send message for 5 days', 3],
  ['Sendmail', 'async', 'Message could not be delivered for 5 days', 3],
  ['Sendmail', 'async', 'MX list for example.net points back to mx.example.net', 3],
  ['Sendmail', 'async', 'Too many hops 26 (25 max)', 3],
  ['Sendmail', 'async', 'Deferred: Name server: example.net.: host name lookup failure', 2],
  ['Sendmail', 'async', 'Message is too large; 10485760 bytes max', 20],
  ['Sendmail', 'async', '550 5.1.1 <kijitora@example.net>... User unknown', 1],
  ['Sendmail', 'async', 'Local configuration error', 3],
  // OpenSMTPD
  ['OpenSMTPD', 'async', 'No MX found for domain', 2],
  ['OpenSMTPD', 'async', 'Network error on destination MXs', 3],
  ['OpenSMTPD', 'async', 'Destination seem to reject all mails', 2],
  ['OpenSMTPD', 'async', 'Temporary failure in MX lookup', 2],
  ['OpenSMTPD', 'async', 'Permanent failure in MX lookup', 2],
  ['OpenSMTPD', 'async', 'Loop detected', 3],
  ['OpenSMTPD', 'rcpt', '550 Invalid recipient: <kijitora@example.net>', 1],
  // IMail
  ['IMail', 'async', 'Invalid final delivery userid: kijitora', 1],
  // Domino
  ['Domino', 'async', 'User Kijitora (kijitora@example.net) not listed in Domino Directory', 1],
  ['Domino', 'async', 'User kijitora@example.net not listed in public Name & Address Book', 1],
  ['Domino', 'async', "Utilisateur kijitora (kijitora@example.net) non répertorié dans l'annuaire Domino", 1],
  ['Domino', 'async', "User's mailbox is full", 5],
  // Exchange Online
  ['Exchange Online', 'rcpt', '550 5.4.1 Recipient address rejected: Access denied. AS(201806281)', 1],
  ['Exchange Online', 'rcpt', '550 5.4.14 Hop count exceeded - possible mail loop ATTR34', 3],
  ['Exchange Online', 'rcpt', '550 5.4.310 DNS domain example.net does not exist', 2],
  ['Exchange Online', 'rcpt', '550 5.7.1 Delivery not authorized, message refused', 20],
  ['Exchange Online', 'rcpt', '550 5.7.124 Sender not in allowed-senders list', 20],
  [
    'Exchange Online',
    'rcpt',
    '550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required; Delivery restriction check failed as sender not authenticated',
    20,
  ],
  [
    'Exchange Online',
    'rcpt',
    '550 5.7.134 RESOLVER.RST.SenderNotAuthenticatedForMailbox; authentication required; Delivery restriction check failed as sender not authenticated',
    20,
  ],
  [
    'Exchange Online',
    'rcpt',
    '550 5.7.509 Access denied, sending domain example.com does not pass DMARC verification and has a DMARC policy of reject.',
    20,
  ],
  ['Exchange Online', 'rcpt', '550 5.7.606 Access denied, banned sending IP [192.0.2.1].', 20],
  ['Exchange Online', 'rcpt', '550 5.7.705 Access denied, tenant has exceeded threshold.', 20],
  ['Exchange Online', 'rcpt', "550 5.1.0 Sender denied as sender's email address is not valid", 20],
  ['Exchange Online', 'rcpt', '432 4.3.2 STOREDRV.Deliver; recipient thread limit exceeded', 3],
  ['Exchange Online', 'rcpt', '4.4.7 Message expired', 3],
  ['Exchange Online', 'rcpt', '451 4.4.316 Connection refused [Message=Socket error code 10061]', 3],
  [
    'Exchange Online',
    'rcpt',
    '530 5.7.57 Client was not authenticated to send anonymous mail during MAIL FROM',
    20,
  ],
  ['Exchange Online', 'rcpt', '550 5.7.64 TenantAttribution; Relay Access Denied', 20],
  [
    'Exchange Online',
    'rcpt',
    '550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.',
    20,
  ],
  [
    'Exchange Online',
    'rcpt',
    '550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains.',
    20,
  ],
  [
    'Exchange Online',
    'rcpt',
    '552 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded',
    5,
  ],
  ['Exchange Online', 'rcpt', '550 5.1.8 Access denied, bad outbound sender', 20],
  [
    'Exchange Online',
    'rcpt',
    "550 5.1.90 Your message can't be sent because you've reached your daily limit for message recipients",
    20,
  ],
  // Yahoo
  [
    'Yahoo',
    'rcpt',
    '553 5.7.2 [TSS09] All messages from 192.0.2.1 will be permanently deferred; Retrying will NOT succeed.',
    20,
  ],
  [
    'Yahoo',
    'rcpt',
    '421 4.7.0 [TSS11] All messages from 192.0.2.1 will be permanently deferred; Retrying will NOT succeed.',
    20,
  ],
  ['Yahoo', 'rcpt', '554 Message not allowed - [PH01] Email not accepted for policy reasons.', 20],
  [
    'Yahoo',
    'rcpt',
    "554 delivery error: dd This user doesn't have a yahoo.com account (kijitora@yahoo.com) [0]",
    1,
  ],
  [
    'Yahoo',
    'rcpt',
    '554 delivery error: dd Sorry your message to kijitora@yahoo.com cannot be delivered. This mailbox is disabled (554.30)',
    4,
  ],
  ['Yahoo', 'rcpt', '421 Max message per connection reached, closing transmission channel', 3],
  ['Yahoo', 'rcpt', '552 1 Requested mail action aborted, mailbox not found', 1],
  // Gmail
  ['Gmail', 'rcpt', '421 4.7.0 IP not in whitelist for RCPT domain, closing connection.', 20],
  [
    'Gmail',
    'rcpt',
    '421 4.7.0 Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily blocked.',
    20,
  ],
  ['Gmail', 'rcpt', '421 4.7.0 TLS required for RCPT domain, closing connection.', 20],
  ['Gmail', 'rcpt', '421 4.7.0 Try again later, closing connection.', 3],
  ['Gmail', 'rcpt', '421 4.3.0 Temporary System Problem. Try again later', 3],
  ['Gmail', 'rcpt', '421 4.4.5 Server busy, try again later.', 3],
  ['Gmail', 'rcpt', '452 4.2.2 The email account that you tried to reach is over quota.', 5],
  ['Gmail', 'rcpt', '451 4.5.0 SMTP protocol violation, see RFC 2821.', 20],
  ['Gmail', 'rcpt', '454 4.7.0 Too many login attempts, please try again later.', 20],
  ['Gmail', 'rcpt', '550 5.2.1 The email account that you tried to reach is disabled.', 4],
  [
    'Gmail',
    'rcpt',
    '450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.',
    3,
  ],
  [
    'Gmail',
    'rcpt',
    "550 5.7.1 The IP you're using to send mail is not authorized to send email directly to our servers.",
    20,
  ],
  [
    'Gmail',
    'rcpt',
    '550 5.7.26 This message does not have authentication information or fails to pass authentication checks.',
    20,
  ],
  ['Gmail', 'rcpt', '550 5.7.1 Our system has detected that this message is likely unsolicited mail.', 20],
  ['Gmail', 'rcpt', '550 5.7.25 The IP address sending this message does not have a PTR record setup.', 20],
  ['Gmail', 'rcpt', "552 5.3.4 Your message exceeded Google's message size limits.", 20],
  [
    'Gmail',
    'rcpt',
    "553 5.1.2 We weren't able to find the recipient domain. Please check for any spelling errors, and make sure you didn't enter any spaces, periods, or other punctuation after the recipient's email address.",
    2,
  ],
  ['Gmail', 'rcpt', '550 5.7.0 Mail relay denied.', 20],
  ['Gmail', 'rcpt', '421 4.7.0 The recipient server did not accept our requests to connect.', 3],
  // iCloud
  [
    'iCloud',
    'rcpt',
    '554 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137',
    20,
  ],
  ['iCloud', 'rcpt', '554 5.7.1 [HM08] Message rejected due to local policy.', 20],
  ['iCloud', 'rcpt', '550 5.1.1 <kijitora@icloud.com>: user does not exist', 1],
  [
    'iCloud',
    'rcpt',
    '421 4.7.1 Messages to kijitora@icloud.com deferred due to excessive volume. Try again later',
    3,
  ],
  ['iCloud', 'rcpt', '451 4.7.1 Service unavailable - try again later', 3],
  // Mail.ru
  [
    'Mail.ru',
    'rcpt',
    '550 Message was not accepted -- invalid mailbox.  Local mailbox kijitora@mail.ru is unavailable: user not found',
    1,
  ],
  ['Mail.ru', 'rcpt', '550 spam message rejected. Please visit http://help.mail.ru/notspam-support/id', 20],
  // Yandex
  ['Yandex', 'rcpt', '550 5.7.1 No such user!', 1],
  ['Yandex', 'rcpt', '554 5.7.1 [2] Message rejected under suspicion of SPAM', 20],
  ['Yandex', 'rcpt', '451 4.7.1 Sorry, the service is currently unavailable. Please come back later.', 3],
  // GMX / 1&1
  ['GMX / 1&1', 'rcpt', '554-Transaction failed Reject due to policy restrictions.', 20],
  ['GMX / 1&1', 'rcpt', '554 IP address is black listed', 20],
  ['GMX / 1&1', 'rcpt', '550 Bad DNS PTR resource record', 20],
  // Tencent QQ
  ['Tencent QQ', 'rcpt', '550 Mailbox not found. http://service.mail.qq.com/cgi-bin/help?subtype=1', 1],
  ['Tencent QQ', 'rcpt', '550 Ip frequency limited', 3],
  ['Tencent QQ', 'rcpt', '550 Domain frequency limited', 3],
  ['Tencent QQ', 'rcpt', '550 Connection frequency limited', 3],
  ['Tencent QQ', 'rcpt', '550 Mail content denied', 20],
  ['Tencent QQ', 'rcpt', '550 Mailbox is frozen', 4],
  // Zoho
  ['Zoho', 'async', 'Host not reachable', 3],
  // Mimecast
  ['Mimecast', 'rcpt', '550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550', 1],
  [
    'Mimecast',
    'rcpt',
    '550 Envelope blocked - User Entry - https://community.mimecast.com/docs/DOC-1369#550',
    20,
  ],
  ['Mimecast', 'rcpt', '550 Rejected by header based Anti-Spoofing policy', 20],
  ['Mimecast', 'rcpt', '550 IP found in RBL', 20],
  // Proofpoint
  ['Proofpoint', 'rcpt', '554 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.1', 20],
  ['Proofpoint', 'rcpt', '554 5.7.1 rejected by Proofpoint Dynamic Reputation', 20],
];

/** SPEC §11: the impact each reason may have */
const IMPACTS: Record<number, string[]> = {
  1: ['quarantine'],
  2: ['count', 'quarantine'],
  3: ['count', 'none'],
  4: ['count', 'quarantine'],
  5: ['count'],
  20: ['none'],
};

const full = defaultRuleSet();
const sets = {
  'the shipped rules': full,
  'no corpus-shaped rule': { ...full, rules: full.rules.filter((r) => !r.shapedBy) },
};

describe.each(Object.entries(sets))(
  'MTA and provider catalogs qualify as their sources say (%s)',
  (_, rules) => {
    const q = createQualifier({ mode: 'legacy', rules });
    it.each(CATALOG)('%s: %s %s', (_catalog, phase, text, reason) => {
      const r = phase === 'async' ? q.qualifyText(text) : q.qualify(text, { phase });
      expect(r.reason, `${r.rule}`).toBe(reason);
      expect(IMPACTS[reason]).toContain(r.impact);
    });
  },
);

it('every catalog the rules cite has messages here', () => {
  const cited = new Set(CATALOG.map(([c]) => c));
  expect(cited.size).toBeGreaterThanOrEqual(15);
});
