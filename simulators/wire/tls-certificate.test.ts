import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fakeMxCredentials, generateTlsCredentials } from './tls-certificate.ts';

describe('the fake MX certificate', () => {
  it('is a self-signed RSA-2048 server certificate for its key, valid now and for 30 days', async () => {
    const c = await generateTlsCredentials();
    const x = new X509Certificate(c.cert);
    expect(x.checkPrivateKey(createPrivateKey(c.key))).toBe(true);
    expect(x.issuer).toBe(x.subject);
    expect(x.verify(x.publicKey)).toBe(true); // signed by its own key
    expect(x.subject).toBe('CN=mxlab fake MX');
    expect(x.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(x.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(x.checkHost('localhost')).toBe('localhost');
    const from = Date.parse(x.validFrom);
    const to = Date.parse(x.validTo);
    expect(from).toBeLessThan(Date.now());
    expect(to - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(to - Date.now()).toBeLessThan(31 * 86_400_000);
    expect(c.fingerprint256).toBe(x.fingerprint256);
    expect(c.validTo).toBe(x.validTo);
  });

  it('is new at each generation, and one per process for the fleets', async () => {
    const a = await generateTlsCredentials();
    const b = await generateTlsCredentials();
    expect(a.fingerprint256).not.toBe(b.fingerprint256);
    expect(a.key).not.toBe(b.key);
    const p = fakeMxCredentials();
    expect(fakeMxCredentials()).toBe(p);
    expect((await p).fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });
});
