import { Command, Option } from 'commander';
import { EXIT, PicvaultError, type ExitCode } from '../errors.js';
import type { Progress } from '../core/progress.js';
import type { Skipped } from '../core/scan.js';
import { hasMessage, type Lang, type Translate } from '../i18n/index.js';
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

export interface CommonFlags {
  wechatKey?: string;
  json?: boolean;
  quiet?: boolean;
  progress?: boolean;
  vault?: string;
}

export function addCommon(cmd: Command): Command {
  return cmd
    .option('--json', 'print one JSON document (JSON lines for listings) on stdout')
    .option('--quiet', 'no progress bars and no chatter')
    .option('--no-progress', 'no progress bars')
    .addOption(new Option('--lang <lang>', 'language of messages').choices(['zh', 'en']));
}

/** A repeatable option's values, in order. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

export function addSelection(cmd: Command): Command {
  return cmd
    .option('--before <date>', 'dated strictly before YYYY-MM[-DD] (2024-06 = up to the end of May 2024)')
    .option('--since <date>', 'dated on or after YYYY-MM[-DD]')
    .option('--month <month>', 'dated in YYYY-MM')
    .option('--hash <hash...>', 'full hash or unique prefix of at least 6 hex digits')
    .option('--path <glob>', 'path glob (a glob without "/" matches file names at any depth)')
    .option('--min-size <size>', 'at least this size, e.g. 2MB')
    .option('--source <kind>', 'qq|qqnt|wechat|wechat4|android|folder (repeatable)', collect)
    .option('--kind <kind>', 'thumb|original|sticker (repeatable)', collect)
    .option('--device <name>', 'archived from this device (repeatable)', collect)
    .option('--chat <id>', 'the chat folder (md5, or a prefix) of QQNT / WeChat layouts (repeatable)', collect)
    .option('--wechat-key <key>', 'WeChat 4.x account key (16 characters, or 32 hex digits as img_key), to decode V2 .dat images', parseWechatKey);
}

export function vaultOf(ctx: CliContext, ...given: (string | undefined)[]): string {
  const v = given.find((g) => g !== undefined && g !== '') ?? ctx.env.PICVAULT_VAULT;
  if (!v) throw new PicvaultError('vault.required', {}, EXIT.usage);
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
    const why = hasMessage(`skip.${s.reason}`) ? ctx.t(`skip.${s.reason}`, { device: s.device ?? '' }) : s.reason;
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

/**
 * The same document as json(), but each Chunked field is written an item at a time: clean's plan
 * at a million files would otherwise be one string of hundreds of MB.
 */
export async function jsonStreamed(ctx: CliContext, value: Record<string, unknown>): Promise<void> {
  const fields = Object.entries(value).filter(([, v]) => v !== undefined);
  ctx.out('{');
  for (const [i, [key, v]] of fields.entries()) {
    const comma = i < fields.length - 1 ? ',' : '';
    if (!isChunked(v)) {
      ctx.out(`  ${JSON.stringify(key)}: ${JSON.stringify(v, null, 2).replace(/\n/g, '\n  ')}${comma}`);
      continue;
    }
    ctx.out(`  ${JSON.stringify(key)}: [`);
    // Each item is printed when the next arrives, so the last one goes without a comma.
    let previous: string | null = null;
    for (const chunk of v.chunks()) {
      for (const item of chunk) {
        if (previous !== null) {
          ctx.out(`    ${previous},`);
          await ctx.drain();
        }
        previous = JSON.stringify(item);
      }
    }
    if (previous !== null) ctx.out(`    ${previous}`);
    ctx.out(`  ]${comma}`);
  }
  ctx.out('}');
}

export type { Skipped };
