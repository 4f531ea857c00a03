/**
 * Signs and verifies N wire-mode messages (simulators/wire/message.ts's buildMessage with a fresh
 * key, mailauth's dkimVerify through dkimChecker, as the fake MX does) and prints each failure and
 * the count. The failure it hunts: mailauth 4.13 writes `t=` from `Math.round(Date.now() / 1000)`
 * read twice (the header it signs, the header it writes) unless given a signing time, so a message
 * signed across a half-second boundary does not verify (issue #24: about 1 message in 670 in wire
 * runs under load).
 *
 *   npx tsx scripts/repro-dkim.ts                      4,000 messages through buildMessage
 *   npx tsx scripts/repro-dkim.ts --messages 8000
 *   npx tsx scripts/repro-dkim.ts --compare            the same bytes also signed as before the
 *                                                      fix (mailauth without signTime), side by side
 */
import { Command } from 'commander';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import type { OutboundMessage } from '../core/ports.ts';
import { buildMessage, type DkimKey, dkimChecker, generateDkimKey } from '../simulators/wire/message.ts';

const opts = new Command()
  .option('--messages <n>', 'messages to sign and verify', '4000')
  .option('--compare', 'also sign each message as before the fix (no signTime) and count those failures')
  .parse()
  .opts<{ messages: string; compare?: boolean }>();
const n = Number(opts.messages);
if (!Number.isInteger(n) || n <= 0) {
  console.error(`--messages: expected a positive integer, got '${opts.messages}'`);
  process.exit(2);
}

/** The call buildMessage made before the fix: no signTime, so mailauth reads the clock twice. */
async function signWithoutTime(raw: Buffer, key: DkimKey): Promise<Buffer> {
  const signed = await dkimSign(raw, {
    canonicalization: 'relaxed/relaxed',
    signingDomain: key.domain,
    selector: key.selector,
    privateKey: key.privateKey,
    signatureData: [{ signingDomain: key.domain, selector: key.selector, privateKey: key.privateKey }],
  } as Parameters<typeof dkimSign>[1]);
  return Buffer.concat([Buffer.from(signed.signatures), raw]);
}

const tOf = (message: Buffer) => /\bt=(\d+)/.exec(message.toString('latin1', 0, 600))?.[1] ?? '-';

const key = generateDkimKey('mxlab.invalid');
const check = dkimChecker([key]);
let failed = 0;
let failedBefore = 0;
const started = Date.now();
for (let i = 0; i < n; i++) {
  const m: OutboundMessage = {
    id: i,
    deliveryId: 1,
    from: 'news@mxlab.invalid',
    to: `r${i}@d${i % 13}.example`,
    domain: `d${i % 13}.example`,
    size: 2000 + (i % 5) * 500,
    attempt: 1,
    messageId: `<${i}.1@mxlab.invalid>`,
  };
  const message = await buildMessage(m, key);
  const r = await check(message);
  if (r !== 'pass') {
    failed++;
    console.log(`buildMessage: message ${i} ${r} (t=${tOf(message)})`);
  }
  if (opts.compare) {
    const old = await signWithoutTime(await buildMessage(m), key);
    const o = await check(old);
    if (o !== 'pass') {
      failedBefore++;
      console.log(`without signTime: message ${i} ${o} (t=${tOf(old)})`);
    }
  }
}
const secs = ((Date.now() - started) / 1000).toFixed(1);
console.log(`buildMessage: ${failed} of ${n} did not verify (${secs} s)`);
if (opts.compare) console.log(`without signTime: ${failedBefore} of ${n} did not verify`);
process.exitCode = failed > 0 ? 1 : 0;
