/**
 * The subcommands of `mxlab`, one module each. To add one: write cli/commands/NAME.ts exporting
 * `register(program)`, then add one import and one entry below (edit these lines only, other work adds its own).
 */
import type { Command } from 'commander';
import { register as check } from './check.ts';
import { register as compare } from './compare.ts';
import { register as inmail } from './inmail.ts';
import { register as merge } from './merge.ts';
import { register as qualify } from './qualify.ts';
import { register as remediate } from './remediate.ts';
import { register as report } from './report.ts';
import { register as run } from './run.ts';
import { register as schema } from './schema.ts';
import { register as serve } from './serve.ts';
import { register as sweep } from './sweep.ts';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [
  inmail,
  report,
  compare,
  remediate,
  qualify,
  run,
  sweep,
  merge,
  serve,
  check,
  schema,
];
