/**
 * `createInProcessWorld`: the whole simulated world behind the core's ports: the ISP brains compiled
 * from profiles, the synchronous transport and resolver, and the technical mailbox.
 */
import type { Clock, RandomSource } from '../../core/ports.ts';
import type { BuildOptions } from '../async-mail/build.ts';
import { IspBrain } from '../isp/brain.ts';
import type { IspProfile } from '../isp/profile-schema.ts';
import { loadIspProfiles } from '../isp/profiles-load.ts';
import { fastStream } from '../population/hash.ts';
import type { RecipientTruth } from '../population/truth.ts';
import { FastMailbox } from './fast-mailbox.ts';
import { InProcessTransport } from './in-process-transport.ts';
import { BrainDirectory, InProcessResolver } from './resolver.ts';

/** Options of `createInProcessWorld`. */
export interface WorldOptions {
  /** anything with `truthOf(address)`, usually a `Population` */
  population: { truthOf(address: string): RecipientTruth | null };
  /** profiles in priority order (default: the shipped ones) */
  profiles?: readonly IspProfile[];
  seed: number;
  /** the run's virtual clock */
  clock: Clock;
  /** random stream per ISP (default: sfc32 seeded from (seed, `isp:<name>`)) */
  randomFor?: (ispName: string) => RandomSource;
  /** domain suffixes that never resolve (default `.invalid`) */
  nxSuffixes?: readonly string[];
  /** options for the MIME of drained mails */
  mail?: Omit<BuildOptions, 'seq'>;
}

/** The world the core talks to. */
export interface InProcessWorld {
  /** implements `Transport` (synchronously) */
  transport: InProcessTransport;
  /** implements `MxResolver` (synchronously) */
  resolver: InProcessResolver;
  /** implements `TechnicalMailbox` */
  mailbox: FastMailbox;
  brains: readonly IspBrain[];
  directory: BrainDirectory;
  /** the run's virtual clock the brains and resolver read (wire mode gives it to its servers) */
  clock: Clock;
}

/** Builds the world (see the file comment). */
export function createInProcessWorld(opts: WorldOptions): InProcessWorld {
  const profiles = opts.profiles ?? loadIspProfiles();
  const mailbox = new FastMailbox(opts.mail);
  const truthOf = (a: string) => opts.population.truthOf(a);
  const brains = profiles.map(
    (profile) =>
      new IspBrain({
        profile,
        truthOf,
        random: opts.randomFor ? opts.randomFor(profile.name) : fastStream(opts.seed, `isp:${profile.name}`),
        followUps: mailbox,
      }),
  );
  const directory = new BrainDirectory(brains, opts.nxSuffixes);
  return {
    transport: new InProcessTransport(directory, opts.clock),
    resolver: new InProcessResolver(directory, opts.clock),
    mailbox,
    brains,
    directory,
    clock: opts.clock,
  };
}
