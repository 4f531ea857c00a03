/**
 * Messages as the wire transport sends them: built by nodemailer's MailComposer (one recipient,
 * the run's stable Message-ID, a body padded to the message's `size`), DKIM-signed with mailauth
 * using a key pair generated at start with node:crypto; the fake MX verifies with mailauth against
 * the same key (DNS TXT answer or the key given directly).
 */
import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutboundMessage } from '../../core/ports.ts';
import type { DkimCheck } from './fake-mx.ts';

/** A DKIM signing key and its DNS TXT record. */
export interface DkimKey {
  domain: string;
  selector: string;
  privateKey: string;
  /** the TXT record at `<selector>._domainkey.<domain>` */
  txt: string;
}

/** Generates an RSA key pair for `domain` (1024 bits by default: fast, and what mailauth accepts). */
export function generateDkimKey(domain: string, selector = 'mxlab', bits = 1024): DkimKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const der = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    domain,
    selector,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    txt: `v=DKIM1; k=rsa; p=${der}`,
  };
}

const fillers = new Map<number, string>();
const LINE = `${'x'.repeat(76)}\r\n`;

/** Body text of about `bytes` bytes (CRLF lines of 78), cached per size. */
function filler(bytes: number): string {
  const n = Math.max(0, Math.floor(bytes / LINE.length));
  let f = fillers.get(n);
  if (f === undefined) {
    f = LINE.repeat(n);
    if (fillers.size < 64) fillers.set(n, f);
  }
  return f;
}

/** Approximate size of the headers MailComposer writes (subtracted from the body padding). */
const HEADER_ALLOWANCE = 400;

const TO = 'rcpt.placeholder@mxlab.invalid';
const MSGID = '<msgid.placeholder@mxlab.invalid>';
const templates = new Map<string, string>();

/** MailComposer output for (from, delivery, size) with placeholders for the recipient and Message-ID. */
async function template(m: OutboundMessage): Promise<string> {
  const key = `${m.from}|${m.deliveryId}|${m.size}`;
  let t = templates.get(key);
  if (t === undefined) {
    const mail = new MailComposer({
      from: m.from,
      to: TO,
      subject: `mxlab delivery ${m.deliveryId}`,
      messageId: MSGID,
      date: new Date(0),
      text: `mxlab test message\r\n${filler(m.size - HEADER_ALLOWANCE)}`,
      textEncoding: 'quoted-printable',
    });
    t = ((await mail.compile().build()) as Buffer).toString('latin1');
    if (templates.size < 256) templates.set(key, t);
  }
  return t;
}

/**
 * Builds the RFC 5322 bytes of `m` (signed when `key` is given, with `t=` the signing time read
 * once: `signTime`, now by default).
 *
 * The recipient and Message-ID go in through replacer functions: a string replacement would read
 * `$&`, `$'` or `` $` `` in an address's local part (all legal atext) as patterns and mangle it.
 * The signing time is passed to mailauth explicitly: without it mailauth 4.13's
 * formatSignatureHeaderLine takes `t=` from `Math.round(Date.now() / 1000)` twice, once for the
 * header it signs and once for the header it writes, so a signature made across a half-second
 * boundary carries a `t=` other than the one signed and fails verification (2 messages in 4,000
 * here; scripts/repro-dkim.ts counts them).
 */
export async function buildMessage(
  m: OutboundMessage,
  key?: DkimKey,
  signTime: Date = new Date(),
): Promise<Buffer> {
  const t = await template(m);
  const raw = Buffer.from(
    t.replace(TO, () => m.to).replace(MSGID, () => m.messageId),
    'latin1',
  );
  if (!key) return raw;
  const signed = await dkimSign(raw, {
    signTime,
    canonicalization: 'relaxed/relaxed',
    signingDomain: key.domain,
    selector: key.selector,
    privateKey: key.privateKey,
    // mailauth 4.13 reads the keys from signatureData; its .d.ts only lists the flat fields
    signatureData: [{ signingDomain: key.domain, selector: key.selector, privateKey: key.privateKey }],
  } as Parameters<typeof dkimSign>[1]);
  return Buffer.concat([Buffer.from(signed.signatures), raw]);
}

/** A DKIM check answering TXT lookups from `keys` (no network), counted by the fake MX. */
export function dkimChecker(keys: readonly DkimKey[]): DkimCheck {
  const txt = new Map(keys.map((k) => [`${k.selector}._domainkey.${k.domain}`.toLowerCase(), k.txt]));
  const resolver = async (name: string, type: string): Promise<string[][]> => {
    const v = type === 'TXT' ? txt.get(name.toLowerCase()) : undefined;
    if (v === undefined) {
      const e = new Error(`queryTxt ENOTFOUND ${name}`) as NodeJS.ErrnoException;
      e.code = 'ENOTFOUND';
      throw e;
    }
    return [[v]];
  };
  return async (message) => {
    const r = await dkimVerify(message, { resolver } as Parameters<typeof dkimVerify>[1]);
    const results = (r.results ?? []) as { status?: { result?: string } }[];
    // mailauth reports an unsigned message as one result with status none, not as no result
    if (results.every((x) => x.status?.result === 'none')) return 'none';
    return results.some((x) => x.status?.result === 'pass') ? 'pass' : 'fail';
  };
}

/** Dot-stuffs a message and appends the end-of-data line. */
export function dataBlock(message: Buffer): Buffer {
  let s = message.toString('latin1');
  if (s.startsWith('.')) s = `.${s}`;
  s = s.replaceAll('\r\n.', '\r\n..');
  if (!s.endsWith('\r\n')) s += '\r\n';
  return Buffer.from(`${s}.\r\n`, 'latin1');
}
