import { usageError } from '../errors.js';
import { wechatKeyProblem } from '../media/dat.js';
import type { Selection } from '../core/selection.js';
import { KIND_WORDS, SOURCE_WORDS, parseWord } from './words.js';

/** The selection flags as commander hands them over. */
export interface SelectionFlags {
  before?: string;
  since?: string;
  month?: string;
  hash?: string[];
  path?: string;
  minSize?: string;
  source?: string[];
  kind?: string[];
  device?: string[];
  chat?: string[];
}

/** "2024-06" or "2024-06-15" → "2024-06-01" / "2024-06-15"; anything else is bad input. */
export function parseDay(flag: string, value: string): string {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(value);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3] ?? '1')];
    const probe = new Date(Date.UTC(y, mo - 1, d));
    if (mo >= 1 && mo <= 12 && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d) {
      return `${m[1]}-${m[2]}-${m[3] ?? '01'}`;
    }
  }
  throw usageError('date.bad', { flag, value });
}

export function parseMonth(value: string): string {
  if (!/^\d{4}-\d{2}$/.test(value)) throw usageError('month.bad', { value });
  parseDay('--month', value);
  return value;
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4 };

/** "2MB" → 2097152. Binary units, as Windows Explorer counts. */
export function parseSize(flag: string, value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) throw usageError('size.bad', { flag, value });
  return Math.round(Number(m[1]) * unit);
}

export function parseHash(value: string): string {
  const v = value.toLowerCase();
  if (!/^[0-9a-f]{6,16}$/.test(v)) throw usageError('hash.bad', { value });
  return v;
}

/** A run's id as `catalog log` shows it: a positive whole number. */
export function parseRunId(value: string): number {
  if (!/^[1-9]\d{0,15}$/.test(value.trim())) throw usageError('run.bad', { value });
  return Number(value.trim());
}

export function parseChoice<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) throw usageError('choice.bad', { flag, value, choices: choices.join('|') });
  return value as T;
}

/** --wechat-key: 16 characters or 32 hex digits (media/dat.ts wechatAesKeys); anything else is refused before a file is read. */
export function parseWechatKey(value: string): string {
  const problem = wechatKeyProblem(value);
  if (problem) throw usageError(problem, { value, length: value.length });
  return value;
}

const list = (v: string[] | undefined) => v?.flatMap((s) => s.split(',')).filter(Boolean);

export function toSelection(flags: SelectionFlags): Selection {
  const sel: Selection = {};
  if (flags.before) sel.before = parseDay('--before', flags.before);
  if (flags.since) sel.since = parseDay('--since', flags.since);
  if (flags.month) sel.month = parseMonth(flags.month);
  if (flags.hash) sel.hashes = list(flags.hash)!.map(parseHash);
  if (flags.path) sel.path = flags.path;
  if (flags.minSize) sel.minSize = parseSize('--min-size', flags.minSize);
  if (flags.source) sel.sources = list(flags.source)!.map((s) => parseWord('--source', s, SOURCE_WORDS));
  if (flags.kind) sel.kinds = list(flags.kind)!.map((s) => parseWord('--kind', s, KIND_WORDS));
  if (flags.device) sel.devices = list(flags.device);
  if (flags.chat) sel.chats = list(flags.chat)!.map((c) => c.toLowerCase());
  refuseEmptyRange(sel, flags);
  return sel;
}

/** The day after the last day of a YYYY-MM month. */
function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** --since, --before and --month that leave no day between them are a mistake, not an empty result. */
function refuseEmptyRange(sel: Selection, flags: SelectionFlags): void {
  const starts = [sel.since, sel.month && `${sel.month}-01`].filter((d): d is string => Boolean(d));
  const ends = [sel.before, sel.month && monthEnd(sel.month)].filter((d): d is string => Boolean(d));
  if (starts.length === 0 || ends.length === 0) return;
  const since = starts.sort().at(-1)!;
  const before = ends.sort()[0];
  if (since < before) return;
  const given = (['since', 'before', 'month'] as const).filter((f) => flags[f]).map((f) => `--${f} ${flags[f]}`);
  throw usageError('range.empty', { flags: given.join(' '), since, before });
}
