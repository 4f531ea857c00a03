/**
 * A private Postfix for tests: Debian's postfix package (installed by .ci/run), its own main.cf and
 * master.cf in a temporary directory (`postfix -c DIR`), smtpd on 127.0.0.1 only, no chroot, no DNS,
 * routing from a regexp transport table, logging to a file (`maillog_file`, Postfix >= 3.4). Postfix
 * needs root (its master starts daemons as `mail_owner`): the CI user is root.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const POSTFIX = '/usr/sbin/postfix';

/** Why no private Postfix can run here, or null when it can. */
export function postfixUnavailable(): string | null {
  if (!existsSync(POSTFIX)) return `${POSTFIX} is not installed (apt-get install postfix; .ci/run does)`;
  if (process.getuid?.() !== 0) return 'Postfix must be started as root (its master runs daemons as postfix)';
  return null;
}

/** A private Postfix instance. */
export interface PostfixInstance {
  dir: string;
  conf: string;
  port: number;
  log(): string;
  postfix(...args: string[]): string;
  stop(): void;
}

/** Writes the configuration into `dir` and starts Postfix; `transport` is the regexp table's text. */
export function startPostfix(dir: string, port: number, transport: string): PostfixInstance {
  const conf = join(dir, 'conf');
  for (const d of [conf, join(dir, 'queue'), join(dir, 'data')]) mkdirSync(d, { recursive: true });
  // the postfix user owns its data directory (master.lock); the queue is set up by `postfix start`
  const uid = Number(execFileSync('id', ['-u', 'postfix'], { encoding: 'utf8' }).trim());
  chownSync(join(dir, 'data'), uid, 0);
  // Postfix's daemons (user postfix) must reach the queue and data directories (mkdtemp makes 0700)
  for (let d = dir; d !== dirname(d) && d !== tmpdir(); d = dirname(d)) chmodSync(d, 0o755);
  const log = join(dir, 'maillog');
  writeFileSync(
    join(conf, 'main.cf'),
    [
      'compatibility_level = 3.6',
      `queue_directory = ${join(dir, 'queue')}`,
      `data_directory = ${join(dir, 'data')}`,
      'mail_owner = postfix',
      'setgid_group = postdrop',
      'inet_interfaces = 127.0.0.1',
      'inet_protocols = ipv4',
      'myhostname = mta.mxlab.test',
      'mydomain = mxlab.test',
      'myorigin = mxlab.test',
      'mydestination =',
      'relay_domains =',
      'mynetworks = 127.0.0.0/8',
      'alias_maps =',
      'alias_database =',
      `maillog_file_prefixes = ${dir}`,
      `maillog_file = ${log}`,
      `transport_maps = regexp:${join(conf, 'transport')}`,
      'smtp_tls_security_level = may',
      'smtp_dns_support_level = disabled',
      // first attempts only matter here: no retry while the test runs
      'queue_run_delay = 1h',
      'minimal_backoff_time = 1h',
      'maximal_backoff_time = 2h',
      '',
    ].join('\n'),
  );
  copyFileSync('/etc/postfix/master.cf', join(conf, 'master.cf'));
  const master = readFileSync(join(conf, 'master.cf'), 'utf8').replace(
    /^smtp\s+inet\s.*$/m,
    `127.0.0.1:${port} inet n - n - - smtpd`,
  );
  writeFileSync(join(conf, 'master.cf'), master);
  writeFileSync(join(conf, 'transport'), transport);
  const postfix = (...args: string[]) =>
    execFileSync(POSTFIX, ['-c', conf, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  execFileSync('postconf', ['-c', conf, '-F', '*/*/chroot = n']);
  try {
    postfix('start');
  } catch (e) {
    const logged = existsSync(log) ? readFileSync(log, 'utf8') : '(no log)';
    throw new Error(`postfix -c ${conf} start failed: ${(e as Error).message}\n${logged}`);
  }
  return {
    dir,
    conf,
    port,
    log: () => (existsSync(log) ? readFileSync(log, 'utf8') : ''),
    postfix,
    stop: () => {
      try {
        postfix('stop');
      } catch {
        // already stopped
      }
    },
  };
}

/** One delivery outcome from Postfix's log: `to=<…>, relay=…, …, status=sent|deferred|bounced (text)`. */
export interface PostfixOutcome {
  to: string;
  status: string;
  text: string;
}

/** The smtp client's outcomes in the log, last one per recipient (DSN deliveries to `exclude` left out). */
export function postfixOutcomes(log: string): Map<string, PostfixOutcome> {
  const out = new Map<string, PostfixOutcome>();
  for (const line of log.split('\n')) {
    const m = / postfix\/smtp\[\d+\]: \w+: to=<([^>]+)>,.* status=(sent|deferred|bounced) \((.*)\)$/.exec(
      line,
    );
    if (m) out.set(m[1]!, { to: m[1]!, status: m[2]!, text: m[3]! });
  }
  return out;
}
