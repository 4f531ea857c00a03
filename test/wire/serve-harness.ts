/**
 * Test helpers for `mxlab serve` as a child process and for the real SMTP clients that drive it
 * (swaks, Postfix's smtp-source): start and parse the printed map, stop with a signal and check the
 * exit code and the ports, run a tool and parse its SMTP transcript.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One MX line of the map: `gmail.com  MX   5 host  ip:port ip:port`. */
export interface MapMx {
  domain: string;
  preference: number;
  host: string;
  addresses: { ip: string; port: number }[];
}

/** A running `mxlab serve`. */
export interface Served {
  child: ChildProcess;
  mx: MapMx[];
  dnsPort: number;
  stdout: string;
  stderr: () => string;
}

const MX_LINE = /^(\S+)\s+MX\s+(\d+)\s+(\S+)\s+(.+)$/;

/** Parses the map `mxlab serve` prints. */
export function parseMap(stdout: string): { mx: MapMx[]; dnsPort: number } {
  const mx: MapMx[] = [];
  let dnsPort = 0;
  for (const line of stdout.split('\n')) {
    const m = MX_LINE.exec(line);
    if (m) {
      mx.push({
        domain: m[1]!,
        preference: Number(m[2]),
        host: m[3]!,
        addresses: m[4]!
          .trim()
          .split(/\s+/)
          .map((a) => {
            const i = a.lastIndexOf(':');
            return { ip: a.slice(0, i), port: Number(a.slice(i + 1)) };
          }),
      });
    }
    const d = /^dns: 127\.0\.0\.1:(\d+) .*dig @127\.0\.0\.1 -p (\d+) MX/.exec(line);
    if (d) dnsPort = Number(d[1]);
  }
  return { mx, dnsPort };
}

/** Starts `mxlab serve ARGS` and resolves once it prints `ready` (rejects with its output otherwise). */
export function startServe(args: string[], timeoutMs = 60_000): Promise<Served> {
  const child = spawn(process.execPath, ['bin/mxlab.mjs', 'serve', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mxlab serve did not get ready in ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.stdout!.on('data', (b: Buffer) => {
      stdout += b.toString();
      if (/^ready\b/m.test(stdout)) {
        clearTimeout(timer);
        resolve({ child, ...parseMap(stdout), stdout, stderr: () => stderr });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`mxlab serve exited (${code ?? signal}) before ready:\n${stdout}\n${stderr}`));
    });
  });
}

/** Sends `signal` and resolves the exit code (null when killed by a signal), or rejects after `timeoutMs`. */
export function stopServe(
  s: Served,
  signal: NodeJS.Signals = 'SIGTERM',
  timeoutMs = 20_000,
): Promise<number | null> {
  const child = s.child;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mxlab serve did not stop within ${timeoutMs} ms of ${signal}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill(signal);
  });
}

/** True when nothing listens on ip:port any more (binding it succeeds). */
export function portFree(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, ip, () => srv.close(() => resolve(true)));
  });
}

/** Runs a program; resolves its exit code and output whatever the code (SMTP failures are results here). */
export function run(
  file: string,
  args: string[],
  timeoutMs = 60_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') {
        reject(new Error(`${file} ${args.join(' ')}: ${err.message}\n${stderr}`));
        return;
      }
      resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

/** One exchange of a swaks transcript: the client's command and the server's (multi-line) reply. */
export interface Exchange {
  command: string;
  code: number;
  text: string;
}

/**
 * Parses a swaks transcript: ` -> CMD` / `~> CMD` are client lines (`~` under TLS), `<-  250 …`,
 * `<~  250 …`, `<** 550 …`, `<~* 550 …` server lines. The greeting's command is `''`.
 */
export function parseSwaks(out: string): Exchange[] {
  const ex: Exchange[] = [];
  let command = '';
  let lines: string[] = [];
  for (const raw of out.split('\n')) {
    const c = /^\s*[-~]> (.*)$/.exec(raw);
    if (c) {
      command = c[1]!.trim();
      continue;
    }
    const r = /^<[-~*]\*?\s+(\d{3})([ -])(.*)$/.exec(raw);
    if (!r) continue;
    lines.push(`${r[1]}${r[2]}${r[3]}`);
    if (r[2] === ' ') {
      ex.push({ command, code: Number(r[1]), text: lines.join('\n') });
      lines = [];
      command = '';
    }
  }
  return ex;
}

/** The reply to the first command starting with `prefix` (e.g. `RCPT TO`), or undefined. */
export function replyTo(ex: Exchange[], prefix: string): Exchange | undefined {
  return ex.find((e) => e.command.toUpperCase().startsWith(prefix));
}
