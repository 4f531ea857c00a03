/**
 * Email address helpers for reading bounces: finding addresses in free text and telling the
 * addresses of mail robots (mailer-daemon, postmaster) from people's.
 */

/** An address in free text (dot-atom local part, a domain with at least one dot). */
export const ADDRESS_SOURCE =
  "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+";

const ADDRESS_G = new RegExp(ADDRESS_SOURCE, 'g');

const LOCAL_ADDRESS = /[^\s<>;:,"'()]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?/;

/**
 * The address of a DSN recipient field (`rfc822; <a@b.example>`): like `firstAddress`, and also a
 * local address whose domain is a bare host name (`user@mailhub`), as local delivery agents report.
 */
export function recipientAddress(value: string | undefined): string | null {
  if (!value) return null;
  const full = firstAddress(value);
  if (full) return full;
  const m = LOCAL_ADDRESS.exec(value.replace(/^\s*[A-Za-z0-9-]+\s*;/, ' '));
  return m ? m[0] : null;
}

/** All addresses in `text`, in order, duplicates kept. */
export function findAddresses(text: string): string[] {
  if (!text.includes('@')) return [];
  return text.match(ADDRESS_G) ?? [];
}

/** The first address in `text` (e.g. `rfc822; <a@b.example>` → `a@b.example`), or null. */
export function firstAddress(text: string | undefined): string | null {
  if (!text) return null;
  ADDRESS_G.lastIndex = 0;
  const m = ADDRESS_G.exec(text);
  ADDRESS_G.lastIndex = 0;
  return m ? m[0] : null;
}

const ROBOT_LOCAL =
  /^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon|maildaemon|double-bounce|bounces?|nobody|root|abuse|noreply|no-reply|mdaemon|autoreply)$/i;

/** True for the addresses of mail robots, never the failed recipient. */
export function isRobotAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  return ROBOT_LOCAL.test(at < 0 ? address : address.slice(0, at));
}

/** The domain of an address in lower case ('' when there is none). */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase();
}
