import { Option, type Command } from 'commander';
import { EXIT, PicvaultError, usageError, type ExitCode } from '../errors.js';
import type { Progress } from '../core/progress.js';
import type { Skipped } from '../core/scan.js';
import { hasMessage, type Lang, type Translate } from '../i18n/index.js';
import { refuseWindowsOnly } from './paths.js';
import { terminalProgress } from './render/progress.js';
import { parseWechatKey } from './options.js';

/** What every command gets from the entry point: the language, the streams, the exit status. */
export interface CliContext {
  lang: Lang;
  t: Translate;
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  /**
   * Resolves once stdout has taken what was written. Long listings wait on it now and then: a
   * pipe to a slower reader (`| less`, a script) would otherwise queue all of it in memory.
   */
  drain(): Promise<void>;
  err(text: string): void;
  /** The worst status so far; main exits with it. */
  exit(code: ExitCode): void;
}

/** The global options (defined on the program, see program.ts), as every command's action sees them. */
export interface CommonFlags {
  wechatKey?: string;
  json?: boolean;
  quiet?: boolean;
  progress?: boolean;
  vault?: string;
}

/** A repeatable option's values, in order. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The selection flags (SPEC "Selection") of the files a command works on. */
export function addSelection(cmd: Command): Command {
  return cmd
    .option('--before <date>', 'help.select.before')
    .option('--since <date>', 'help.select.since')
    .option('--month <month>', 'help.select.month')
    .option('--hash <hash...>', 'help.select.hash')
    .option('--path <glob>', 'help.select.path')
    .option('--min-size <size>', 'help.select.minSize')
    .option('--source <kind>', 'help.select.source', collect)
    .option('--kind <kind>', 'help.select.kind', collect)
    .option('--chat <id>', 'help.select.chat', collect)
    .option('--wechat-key <key>', 'help.wechatKey', parseWechatKey);
}

/**
 * `--device NAME`, a filter on what the catalogue says: places archived from that device. Only
 * where places have a device (restore, catalog list); this device's own name is --device-name.
 */
export const addDeviceFilter = (cmd: Command): Command => cmd.option('--device <name>', 'help.select.device', collect);

/** `--device-name NAME`: the name of this device (archive records it; clean and restore act as it). */
export const addDeviceName = (cmd: Command): Command => cmd.option('--device-name <name>', 'help.deviceName');

/**
 * archive and clean act as this device and take no `--device` filter: the flag, as earlier
 * versions took it for the device's name, is answered with what to use instead.
 */
export const refuseDeviceFilter = (cmd: Command, command: string): Command =>
  cmd.addOption(
    new Option('--device <name>').hideHelp().argParser(() => {
      throw usageError('device.notHere', { command });
    }),
  );

/** This device's name: --device-name, else PICVAULT_DEVICE; undefined leaves the host name to the core. */
export function deviceName(ctx: CliContext, flags: { deviceName?: string }): string | undefined {
  return flags.deviceName ?? (ctx.env.PICVAULT_DEVICE || undefined);
}

export function vaultOf(ctx: CliContext, ...given: (string | undefined)[]): string {
  return vaultNamedBy(ctx, '--vault', ...given);
}

/** The vault, asked for by the flag the command's help teaches: archive's `--to`, restore's `--from`. */
export function vaultNamedBy(ctx: CliContext, flag: '--vault' | '--to' | '--from', ...given: (string | undefined)[]): string {
  const v = given.find((g) => g !== undefined && g !== '') ?? ctx.env.PICVAULT_VAULT;
  if (!v) throw new PicvaultError('vault.required', { flag }, EXIT.usage);
  refuseWindowsOnly('PICVAULT_VAULT', v);
  return v;
}

export function progressFor(ctx: CliContext, flags: CommonFlags): Progress | undefined {
  return terminalProgress(ctx.t, !flags.quiet && flags.progress !== false && !flags.json);
}

export const SKIPPED_SHOWN = 20;

/**
 * Prints the files a run skipped (at most 20; --json has them all) and marks the run partial.
 * `total` is for callers that pass only the first of a longer list.
 */
export function reportSkipped(ctx: CliContext, skipped: { path: string; reason: string; device?: string }[], total = skipped.length): void {
  if (total === 0) return;
  ctx.exit(EXIT.partial);
  ctx.err(ctx.t('skipped.head', { count: total }));
  for (const s of skipped.slice(0, SKIPPED_SHOWN)) {
    const why = hasMessage(`skip.${s.reason}`) ? ctx.t(`skip.${s.reason}`, { device: s.device ?? '' }) : ctx.t('skip.system', { errno: s.reason });
    ctx.err(`  ${s.path}: ${why}`);
  }
  if (total > SKIPPED_SHOWN) ctx.err(ctx.t('skipped.more', { count: total - SKIPPED_SHOWN }));
}

export const json = (ctx: CliContext, value: unknown) => ctx.out(JSON.stringify(value, null, 2));

/** A list read back a chunk at a time (ListSpool), printed by jsonStreamed without being joined. */
export interface Chunked {
  chunks(): Iterable<unknown[]>;
}

const isChunked = (v: unknown): v is Chunked => typeof v === 'object' && v !== null && typeof (v as Chunked).chunks === 'function';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/**
 * The same document as json(), but each Chunked value, at any depth of plain objects, is written
 * an item at a time: clean's plan at a million files would otherwise be one string of hundreds
 * of MB.
 */
export async function jsonStreamed(ctx: CliContext, value: Record<string, unknown>): Promise<void> {
  await writeStreamed(ctx, value, '', '', '');
}

async function writeStreamed(ctx: CliContext, value: unknown, indent: string, lead: string, trail: string): Promise<void> {
  if (isChunked(value)) {
    // Each item is printed when the next arrives, so the last one goes without a comma; the
    // bracket opens with the first, so an empty list is [].
    let previous: string | null = null;
    for (const chunk of value.chunks()) {
      for (const item of chunk) {
        if (previous === null) ctx.out(`${indent}${lead}[`);
        else {
          ctx.out(`${indent}  ${previous},`);
          await ctx.drain();
        }
        previous = JSON.stringify(item);
      }
    }
    if (previous === null) return ctx.out(`${indent}${lead}[]${trail}`);
    ctx.out(`${indent}  ${previous}`);
    ctx.out(`${indent}]${trail}`);
  } else if (isPlainObject(value)) {
    const fields = Object.entries(value).filter(([, v]) => v !== undefined);
    ctx.out(`${indent}${lead}{`);
    for (const [i, [key, v]] of fields.entries()) await writeStreamed(ctx, v, `${indent}  `, `${JSON.stringify(key)}: `, i < fields.length - 1 ? ',' : '');
    ctx.out(`${indent}}${trail}`);
  } else {
    ctx.out(`${indent}${lead}${JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`)}${trail}`);
  }
}

export type { Skipped };
