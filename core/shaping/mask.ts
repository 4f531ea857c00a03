/**
 * MX host masks (SPEC §7.1): `*` matches any run of characters (also empty, also dots), `?` exactly
 * one character; matching is case-insensitive and covers the whole host name. A trailing dot on the
 * host (`mx.example.com.`) is ignored.
 */

/** Compiles a mask to an anchored case-insensitive regular expression. */
export function maskToRegExp(mask: string): RegExp {
  let src = '';
  for (const ch of mask) {
    if (ch === '*') src += '.*';
    else if (ch === '?') src += '.';
    else src += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, 'i');
}

/** True when `host` matches `mask`. Compile once with {@link maskToRegExp} on hot paths. */
export function matchMask(mask: string, host: string): boolean {
  return maskToRegExp(mask).test(stripDot(host));
}

/** Removes one trailing dot of a fully-qualified host name. */
export function stripDot(host: string): string {
  return host.endsWith('.') ? host.slice(0, -1) : host;
}
