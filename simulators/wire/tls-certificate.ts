/**
 * The fake MX fleet's STARTTLS certificate, generated at start instead of smtp-server's bundled test
 * certificate (whose private key anybody can read in the npm package): an RSA-2048 key from
 * node:crypto (native, generated off the event loop) and a self-signed X.509 certificate built and
 * signed by `selfsigned` (node-forge): CN `mxlab fake MX`, SHA-256, valid from a day before now (clock
 * skew) for 30 days, `localhost` and `127.0.0.1` as subject alternative names.
 *
 * One per process (`fakeMxCredentials`): every fake MX of every fleet presents it. MTAs use
 * opportunistic TLS towards MX hosts and check no names (RFC 7435), and the wire tests would
 * otherwise pay a key generation (0.1-0.3 s) per run.
 *
 * selfsigned 4 (node-forge) and not 5: selfsigned 5 builds on @peculiar/x509, whose asn1 packages
 * then come in several copies beside the exact 2.6 versions mailauth's @postalsys/vmc pins, and
 * fail with `Cannot get schema for 'AlgorithmIdentifier' target` (docs/decisions.md).
 */
import { generateKeyPair, X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';

/** A key, its certificate (PEM) and what a user reads of it. */
export interface TlsCredentials {
  key: string;
  cert: string;
  /** e.g. `CN=mxlab fake MX` */
  subject: string;
  /** SHA-256 fingerprint, `AB:CD:...` */
  fingerprint256: string;
  /** end of validity as node:crypto prints it */
  validTo: string;
}

const DAY_MS = 86_400_000;

/** Generates a new key and self-signed certificate (see the file comment). */
export async function generateTlsCredentials(
  commonName = 'mxlab fake MX',
  days = 30,
): Promise<TlsCredentials> {
  const { privateKey, publicKey } = await new Promise<{ privateKey: string; publicKey: string }>(
    (resolve, reject) =>
      generateKeyPair(
        'rsa',
        {
          modulusLength: 2048,
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
          publicKeyEncoding: { type: 'spki', format: 'pem' },
        },
        (err, pub, priv) => (err ? reject(err) : resolve({ privateKey: priv, publicKey: pub })),
      ),
  );
  const options: Parameters<typeof generate>[1] & { keyPair: { privateKey: string; publicKey: string } } = {
    // selfsigned 4 signs a given key pair (its .d.ts does not list the option)
    keyPair: { privateKey, publicKey },
    notBeforeDate: new Date(Date.now() - DAY_MS),
    days, // counted from now
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  };
  const pems = generate([{ name: 'commonName', value: commonName }], options);
  const x = new X509Certificate(pems.cert);
  return {
    key: pems.private,
    cert: pems.cert,
    subject: x.subject.replaceAll('\n', ', '),
    fingerprint256: x.fingerprint256,
    validTo: x.validTo,
  };
}

let shared: Promise<TlsCredentials> | null = null;

/** The process's fake MX credentials, generated on first call (a failed generation is retried). */
export function fakeMxCredentials(): Promise<TlsCredentials> {
  if (shared === null) {
    shared = generateTlsCredentials();
    shared.catch(() => {
      shared = null;
    });
  }
  return shared;
}
