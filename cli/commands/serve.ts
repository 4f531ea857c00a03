/**
 * `mxlab serve PROFILE_OR_SCENARIO [--speed X] [--at TIME] [--log DIR] [--port-base N] [--bind ADDR]
 * [--dns-port N] [--map FORMAT[=FILE]]...`: the fake
 * ISP fleet (one smtp-server per simulated MX IP, 127.a.b.c) and the DNS server (dns2 on 127.0.0.1)
 * standalone, for your own MTA, swaks or smtp-source. The argument is a shipped profile name
 * (`gmail`), a profile file, a catalog scenario name (`isp-outage`) or a scenario file (its
 * profiles, windows and population). Time windows follow the wall clock since start, `--speed`
 * times faster, from run time `--at`. Prints the map domain → MX → address:port and a `dig` line,
 * writes received.jsonl / replies.jsonl / dns.jsonl to `--log` and the follow-ups that fall due
 * (DSNs, ARF complaints, auto-replies) into the Maildir `--log`/maildir, and stops cleanly on SIGINT/SIGTERM.
 * `--bind` puts every fake MX on one loopback address (one port each), `--dns-port` fixes the DNS
 * port, and `--map` writes routing configuration for a real MTA (serve-maps.ts) to a file or stdout.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { CATALOG_DIR, loadScenario, planOf, planPopulation, planProfiles } from '../../runner/index.ts';
import {
  type IspProfile,
  loadIspProfile,
  loadIspProfiles,
  parseDayTime,
  type TruthKind,
} from '../../simulators/index.ts';

import {
  formatRoutingMap,
  formatServeMap,
  formatWindows,
  MAP_FORMATS,
  type MapFormat,
  parseReturnTarget,
  parseTruthFile,
  type ServeOptions,
  scaledWallClock,
  startControlApi,
  startServe,
} from '../../simulators/wire/index.ts';
import { CliError } from '../errors.ts';

interface ServeFlags {
  speed: string;
  at?: string;
  log?: string;
  portBase?: string;
  bind?: string;
  dnsPort?: string;
  map: string[];
  return?: string;
  truth?: string;
  control?: string;
  seed?: string;
  latencyScale?: string;
  tls?: boolean;
}

/** What to serve: profiles, and the population when a scenario gives one. */
export interface ServeTarget {
  label: string;
  seed: number;
  profiles: IspProfile[];
  population?: ServeOptions['population'];
}

/** Resolves the argument (see the file comment); `seed` overrides the scenario's. */
export function resolveServeTarget(arg: string, seed?: number): ServeTarget {
  const shipped = loadIspProfiles();
  const byName = shipped.find((p) => p.name === arg);
  if (byName && !existsSync(arg)) return { label: `profile ${arg}`, seed: seed ?? 1, profiles: [byName] };
  let file = arg;
  if (!existsSync(file)) {
    const inCatalog = ['.yaml', '.yml', '.json', '.ts']
      .map((e) => join(CATALOG_DIR, `${arg}${e}`))
      .find(existsSync);
    if (!inCatalog)
      throw new CliError(
        `${arg}: not a profile (${shipped.map((p) => p.name).join(', ')}), a catalog scenario or a file`,
      );
    file = inCatalog;
  }
  if (isProfileFile(file))
    return { label: `profile file ${file}`, seed: seed ?? 1, profiles: [loadIspProfile(file)] };
  const plan = planOf(loadScenario(file, { seed }));
  return {
    label: `scenario ${plan.name || file}`,
    seed: plan.seed,
    profiles: planProfiles(plan),
    population: planPopulation(plan),
  };
}

/** A YAML/JSON file whose top level has `mx` or `greeting` is an ISP profile; anything else a scenario. */
function isProfileFile(file: string): boolean {
  if (file.endsWith('.ts')) return false;
  try {
    const doc = parseYaml(readFileSync(file, 'utf8')) as unknown;
    return typeof doc === 'object' && doc !== null && ('mx' in doc || 'greeting' in doc);
  } catch {
    return false; // the scenario loader reports the syntax error with its place
  }
}

function numberFlag(
  name: string,
  value: string | undefined,
  min: number,
  integer: boolean,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n)))
    throw new CliError(
      `--${name}: expected ${integer ? 'an integer' : 'a number'} >= ${min}, got '${value}'`,
    );
  return n;
}

function runTimeFlag(value: string | undefined): number {
  if (value === undefined) return 0;
  if (/^\d+$/.test(value)) return Number(value);
  const ms = parseDayTime(value);
  if (ms === null)
    throw new CliError(`--at: expected "dayN HH:MM[:SS]" or ms since the run start, got '${value}'`);
  return ms;
}

/** `--bind`: one IPv4 loopback address (127.0.0.0/8); serve never listens beyond the machine. */
export function bindFlag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(value.trim());
  if (!m || m.slice(1).some((o) => Number(o) > 255))
    throw new CliError(
      `--bind: '${value}' is not an IPv4 loopback address (127.0.0.0/8); serve listens on loopback only`,
    );
  return value.trim();
}

/** `--map FORMAT[=FILE]` (repeatable): the format and the file (null: stdout). */
export function mapFlags(values: readonly string[]): { format: MapFormat; file: string | null }[] {
  return values.map((v) => {
    const i = v.indexOf('=');
    const format = (i < 0 ? v : v.slice(0, i)) as MapFormat;
    if (!MAP_FORMATS.includes(format))
      throw new CliError(`--map: unknown format '${format}' in '${v}' (one of ${MAP_FORMATS.join(', ')})`);
    const file = i < 0 ? null : v.slice(i + 1);
    if (file === '') throw new CliError(`--map: '${v}' names no file after '='`);
    return { format, file };
  });
}

/** `--truth FILE`: read and parsed, a bad line names its place. */
function truthFile(file: string): Map<string, TruthKind> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`--truth ${file}: ${(e as Error).message}`);
  }
  try {
    return parseTruthFile(text, file);
  } catch (e) {
    throw new CliError(`--truth ${(e as Error).message}`);
  }
}

function portFlag(name: string, value: string | undefined): number | undefined {
  const n = numberFlag(name, value, 0, true);
  if (n !== undefined && n > 65535) throw new CliError(`--${name}: ${n} is not a port`);
  return n;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description(
      'serve the fake ISP fleet (SMTP on 127.x.y.z) and DNS (127.0.0.1) for your own MTA; Ctrl-C stops',
    )
    .argument(
      '<target>',
      'profile name (gmail), profile file, catalog scenario name (isp-outage) or scenario file',
    )
    .option('--speed <x>', 'run time per wall time: windows open this many times faster', '1')
    .option('--at <time>', 'run time at start, "dayN HH:MM[:SS]" or ms (default day1 00:00)')
    .option(
      '--log <dir>',
      'write received.jsonl, replies.jsonl, dns.jsonl and the follow-ups (maildir/) there',
    )
    .option(
      '--port-base <n>',
      'every fake MX on TCP port N of its own IP (with --bind: ports N, N+1, ...) (default: free ports)',
    )
    .option('--bind <addr>', 'every fake MX on this one loopback address, one port each (127.0.0.0/8 only)')
    .option('--dns-port <n>', 'UDP port of the DNS server (default: a free port)')
    .option(
      '--map <format[=file]>',
      `write routing config for your MTA: ${MAP_FORMATS.join(', ')} (repeatable; no file: stdout)`,
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option(
      '--return <host:port>',
      'deliver DSNs, ARF reports and auto-replies over SMTP to your MTA there (refused ones: the maildir)',
    )
    .option(
      '--truth <file>',
      'CSV address,truth: your addresses play these truths (windows, scripts); also truth-<kind>-x@domain',
    )
    .option(
      '--control <port>',
      'JSON control API on loopback: GET /fleet /windows /counters, POST /outage /fault, PUT /script/DOMAIN',
    )
    .option('--seed <n>', 'seed of the brains (default: the scenario seed, or 1)')
    .option(
      '--latency-scale <x>',
      'wall ms slept per virtual ms of ISP latency (default 1/speed; 0 answers at once)',
    )
    .option('--no-tls', 'do not offer STARTTLS')
    .action(async (arg: string, flags: ServeFlags) => {
      const speed = numberFlag('speed', flags.speed, 0, false)!;
      if (!(speed > 0)) throw new CliError(`--speed: expected a number > 0, got '${flags.speed}'`);
      const startAtMs = runTimeFlag(flags.at);
      const portBase = portFlag('port-base', flags.portBase);
      const dnsPort = portFlag('dns-port', flags.dnsPort);
      const bind = bindFlag(flags.bind);
      const maps = mapFlags(flags.map);
      const controlPort = portFlag('control', flags.control);
      const returnTo = flags.return === undefined ? undefined : parseReturnTarget(flags.return);
      if (returnTo === null)
        throw new CliError(`--return: expected host:port (e.g. 127.0.0.1:2525), got '${flags.return}'`);
      const latencyScale = numberFlag('latency-scale', flags.latencyScale, 0, false) ?? 1 / speed;
      const target = resolveServeTarget(arg, numberFlag('seed', flags.seed, 0, true));
      const truths = flags.truth === undefined ? undefined : truthFile(flags.truth);
      // every client reset is an ECONNRESET whose stack Node formats, through tsx's source maps
      // (20 µs a connection, 8% of a fake MX's time under smtp-source); a server's resets need none
      process.setSourceMapsEnabled(false);
      const handle = await startServe({
        profiles: target.profiles,
        population: target.population,
        seed: target.seed,
        clock: scaledWallClock({ speed, startAtMs }),
        latencyScale,
        portBase,
        bind,
        dnsPort,
        returnTo,
        truths,
        logDir: flags.log,
        tls: flags.tls,
      }).catch((e: Error) => {
        throw new CliError(`serve: ${e.message}`);
      });
      const out = process.stdout;
      out.write(`mxlab serve: ${target.label}, seed ${target.seed}, speed ${speed}x\n`);
      out.write(formatServeMap(handle));
      out.write(formatWindows(target.profiles));
      if (truths) out.write(`truths: ${truths.size} addresses from ${flags.truth}\n`);
      for (const m of maps) {
        const text = formatRoutingMap(m.format, handle);
        if (m.file === null) {
          out.write(text);
          continue;
        }
        try {
          writeFileSync(m.file, text);
        } catch (e) {
          await handle.stop();
          throw new CliError(`--map ${m.format}=${m.file}: ${(e as Error).message}`);
        }
        out.write(`map: ${m.format} written to ${m.file}\n`);
      }
      if (flags.log) out.write(`logs: ${join(flags.log, 'received.jsonl')} replies.jsonl dns.jsonl\n`);
      if (returnTo)
        out.write(
          `follow-ups (DSNs, ARF complaints, auto-replies) go back over SMTP to ${returnTo.host}:${returnTo.port}${handle.maildir ? ', refused ones to the maildir' : ''}\n`,
        );
      else if (handle.maildir)
        out.write(
          `follow-ups (DSNs, ARF complaints, auto-replies): ${handle.maildir}/new  read: mxlab inmail ${handle.maildir}\n`,
        );
      const control =
        controlPort === undefined
          ? null
          : await startControlApi(handle, handle.dnsHost, controlPort).catch(async (e: Error) => {
              await handle.stop();
              throw new CliError(`--control ${controlPort}: ${e.message}`);
            });
      if (control)
        out.write(`control: http://${control.host}:${control.port}/ (GET fleet, windows, counters)\n`);
      out.write('ready (Ctrl-C to stop)\n');
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await control?.close();
      const t = handle.fleet.totals(); // before stop: stop forgets the servers
      await handle.stop();
      process.stderr.write(
        `mxlab serve: ${signal}, stopped: ${t.connections} connections, ${t.accepted} accepted, ${t.rejected} rejected at DATA, ${handle.counts.replies} replies logged, ${handle.counts.followUps} follow-ups written, ${handle.counts.followUpsPending} not due yet, ${handle.counts.followUpsReturned} returned over SMTP, ${handle.counts.followUpsLeftToMta} DSNs of RCPT rejections left to the sending MTA\n`,
      );
    });
}
