import { stat } from 'node:fs/promises';
import path from 'node:path';
import { usageError } from '../errors.js';
import { dateOf, type Dating } from '../media/dating.js';
import { inspectFile, type Inspection } from '../media/inspect.js';
import type { ImageExt } from '../media/sniff.js';
import { listFiles } from '../sources/list.js';
import type { FoundFile } from '../sources/types.js';
import { mapLimit } from './pool.js';
import { silentProgress, type Progress } from './progress.js';
import { compileSelection, type Selection } from './selection.js';

export interface ScannedFile extends FoundFile, Dating {
  /** Known once the file's bytes were read: plain folders at scan, chat layouts at archive. */
  ext: ImageExt | null;
  decodedExt: ImageExt | null;
}

export interface Skipped {
  path: string;
  reason: string;
}

export interface ScanOptions {
  sources: string[];
  /** Folders never entered: the vault, when it lies inside a source. */
  exclude?: string[];
  selection?: Selection;
  progress?: Progress;
  nowMs?: number;
  /** WeChat 4.x V2 account key. */
  wechatKey?: string;
  /** Read plain folders' heads for their type and EXIF date (default). Clean takes both from the catalogue. */
  readFolders?: boolean;
}

export interface ScanResult {
  sources: string[];
  files: ScannedFile[];
  /** Files that are not images (by their bytes), left alone. */
  notImages: { path: string; size: number }[];
  unreadable: Skipped[];
}

const INSPECT_CONCURRENCY = 16;

/** Sources must exist and be folders: a typo must not look like an empty cache. */
export async function checkSources(sources: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const s of sources) {
    const abs = path.resolve(s);
    const st = await stat(abs).catch(() => null);
    if (!st) throw usageError('source.missing', { source: s });
    if (!st.isDirectory()) throw usageError('source.notFolder', { source: s });
    out.push(abs);
  }
  return out;
}

/**
 * What is there: every image under the sources with its date (SPEC's rule), filtered by the
 * selection's file-level criteria. Chat layouts are dated by their folder or file times, so their
 * files are not read at all here; plain folders need their EXIF date, so their heads are read (and
 * their type checked). Whole files are archive's to read.
 */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const progress = options.progress ?? silentProgress;
  const nowMs = options.nowMs ?? Date.now();
  const sources = await checkSources(options.sources);
  const exclude = (options.exclude ?? []).map((p) => path.resolve(p));
  const unreadable: Skipped[] = [];
  const onUnreadable = (p: string, err: unknown) => unreadable.push({ path: p, reason: describe(err) });

  const found: FoundFile[] = [];
  for (const root of sources) {
    for await (const f of listFiles(root, { exclude, onUnreadable })) found.push(f);
  }

  const toInspect = options.readFolders === false ? [] : found.filter((f) => f.source === 'folder');
  progress.begin('phase.scan', toInspect.length);
  const inspected = new Map<FoundFile, Inspection | Error>();
  await mapLimit(toInspect, INSPECT_CONCURRENCY, async (f) => {
    inspected.set(f, await inspectFile(f, { wechatKey: options.wechatKey }).catch((err: unknown) => err as Error));
    progress.advance(1, f.size);
  });
  progress.end();

  const keep = compileSelection({ ...options.selection, hashes: undefined });
  const files: ScannedFile[] = [];
  const notImages: ScanResult['notImages'] = [];
  for (const f of found) {
    const ins = inspected.get(f) ?? { ext: null, decodedExt: null, exifDate: null };
    if (ins instanceof Error) {
      onUnreadable(f.path, ins);
      continue;
    }
    if (!ins.ext && inspected.has(f)) {
      notImages.push({ path: f.path, size: f.size });
      continue;
    }
    const file: ScannedFile = { ...f, ext: ins.ext, decodedExt: ins.decodedExt, ...dateOf(f, ins.exifDate, nowMs) };
    if (keep(file)) files.push(file);
  }
  return { sources, files, notImages, unreadable };
}

export function describe(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.message : String(err);
}

export interface MonthRow {
  month: string;
  files: number;
  bytes: number;
}

/** The year/month table: files and bytes per month, oldest first. */
export function monthTable(files: readonly { month: string; size: number }[]): MonthRow[] {
  const by = new Map<string, MonthRow>();
  for (const f of files) {
    const row = by.get(f.month) ?? { month: f.month, files: 0, bytes: 0 };
    row.files++;
    row.bytes += f.size;
    by.set(f.month, row);
  }
  return [...by.values()].sort((a, b) => a.month.localeCompare(b.month));
}

export type GroupBy = 'source' | 'chat' | 'kind';

/** scan --by: a month table per source layout, chat or kind, largest group first. */
export function groupedMonthTables(files: readonly ScannedFile[], by: GroupBy): { group: string; files: number; bytes: number; months: MonthRow[] }[] {
  const groups = new Map<string, ScannedFile[]>();
  for (const f of files) {
    const key = by === 'source' ? f.source : by === 'kind' ? f.kind : f.chat ? `${f.account ? f.account + '/' : ''}${f.chat}` : '-';
    const list = groups.get(key) ?? [];
    list.push(f);
    groups.set(key, list);
  }
  return [...groups]
    .map(([group, list]) => ({ group, files: list.length, bytes: list.reduce((n, f) => n + f.size, 0), months: monthTable(list) }))
    .sort((a, b) => b.bytes - a.bytes || a.group.localeCompare(b.group));
}
