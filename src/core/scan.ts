import { stat } from 'node:fs/promises';
import path from 'node:path';
import { usageError } from '../errors.js';
import { dateOf, type Dating } from '../media/dating.js';
import type { ImageExt } from '../media/sniff.js';
import { listFiles } from '../sources/list.js';
import type { EveryField, FoundFile } from '../sources/types.js';
import { headsHere, reasonOf, type HashedAtScan, type HeadFile, type HeadInspection, type HeadResult } from './heads.js';
import { ReadPool } from '../engine/read-pool.js';
import { silentProgress, type Progress } from './progress.js';
import { compileSelection, type Selection } from './selection.js';

export interface ScannedFile extends FoundFile, Dating {
  /** Known once the file's bytes were read: plain folders at scan, chat layouts at archive. */
  ext: ImageExt | null;
  decodedExt: ImageExt | null;
  /** Archive's plain-folder files, read whole at scan: their hash, so they are not read twice. */
  hashedAtScan: HashedAtScan | undefined;
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
  /**
   * Which files' heads are read for their type and EXIF date: by default, plain folders' (chat
   * layouts are dated by their folders and file times, and read whole by archive). Clean takes
   * both from the catalogue, and reads only the files the catalogue does not know, to tell
   * pictures from other files. A file read and found not an image goes to `notImages`.
   */
  readHead?: (file: FoundFile) => boolean;
  /**
   * Where those heads are read: here by default; archive lends its reader threads, and reads the
   * files it will store whole there (HashedAtScan).
   */
  inspectHeads?: (files: FoundFile[]) => Promise<HeadResult[]>;
}

export interface ScanResult {
  sources: string[];
  /** Files that are not images (by their bytes), left alone. */
  notImages: { path: string; size: number }[];
  unreadable: Skipped[];
}

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

const NOT_READ: HeadInspection = { ext: null, decodedExt: null, exifDate: null };

/**
 * A found file with what its bytes and date say. Its fields are listed, not spread: every file
 * then has one object shape, which V8 handles fast all the way down the pipeline, and the spreads
 * cost about 10 µs a file in the walk (docs/performance.md).
 */
function scannedFile(f: FoundFile, ins: HeadInspection, d: Dating): ScannedFile {
  return {
    path: f.path,
    root: f.root,
    source: f.source,
    kind: f.kind,
    account: f.account,
    chat: f.chat,
    size: f.size,
    mtimeMs: f.mtimeMs,
    birthtimeMs: f.birthtimeMs,
    folderMonth: f.folderMonth,
    ext: ins.ext,
    decodedExt: ins.decodedExt,
    taken: d.taken,
    month: d.month,
    dateRule: d.dateRule,
    exifDate: d.exifDate,
    hashedAtScan: ins.hashedAtScan,
  } satisfies EveryField<ScannedFile>;
}

/** Files are walked and inspected this many at a time: memory stays flat whatever the cache size. */
const SCAN_BATCH = 1024;

/**
 * What is there: every image under the sources with its date (SPEC's rule), filtered by the
 * selection's file-level criteria, handed over as it is found (archive spools them by month,
 * clean judges each, the scan command tallies them). Chat layouts are dated by their folder or
 * file times, so their files are not read at all here; plain folders need their EXIF date, so
 * their heads are read (and their type checked). Whole files are archive's to read. The walk's
 * total is not known in advance: progress counts up.
 */
export async function scanEach(options: ScanOptions, onFile: (file: ScannedFile) => void): Promise<ScanResult> {
  const progress = options.progress ?? silentProgress;
  const nowMs = options.nowMs ?? Date.now();
  const sources = await checkSources(options.sources);
  const exclude = (options.exclude ?? []).map((p) => path.resolve(p));
  const unreadable: Skipped[] = [];
  const onUnreadable = (p: string, err: unknown) => unreadable.push({ path: p, reason: reasonOf(err) });
  const keep = compileSelection({ ...options.selection, hashes: undefined });
  const notImages: ScanResult['notImages'] = [];
  const inspect = options.inspectHeads ?? headsHere({ wechatKey: options.wechatKey });
  const readsHead = options.readHead ?? ((f: FoundFile) => f.source === 'folder');

  /** Hands a batch's files on, in the walk's order, once the heads it reads are inspected. */
  const deliver = (batch: FoundFile[], toInspect: FoundFile[], results: HeadResult[]) => {
    const inspected = new Map<FoundFile, HeadResult>(toInspect.map((f, i) => [f, results[i]]));
    for (const f of batch) {
      const ins = inspected.get(f) ?? NOT_READ;
      if ('unreadable' in ins) {
        unreadable.push({ path: f.path, reason: ins.unreadable });
        continue;
      }
      if (!ins.ext && inspected.has(f)) {
        notImages.push({ path: f.path, size: f.size });
        continue;
      }
      const file = scannedFile(f, ins, dateOf(f, ins.exifDate, nowMs));
      if (keep(file)) onFile(file);
    }
    progress.advance(batch.length, batch.reduce((n, f) => n + f.size, 0));
  };

  // One batch is inspected (in the reader threads, when archive lends them) while the walk goes
  // on to the next; files are still handed on in the walk's order.
  let delivering: Promise<void> = Promise.resolve();
  const settle = async (batch: FoundFile[]) => {
    const toInspect = batch.filter(readsHead);
    const inspecting = toInspect.length > 0 ? inspect(toInspect) : Promise.resolve([]);
    await delivering;
    delivering = inspecting.then((results) => deliver(batch, toInspect, results));
    delivering.catch(() => undefined); // awaited in its turn; a walk that stops early must not leave it unhandled
    // The walk is synchronous: between batches the event loop runs (progress, Ctrl-C, the reader
    // threads' answers while archive hashes the months already found).
    await new Promise((resolve) => setImmediate(resolve));
  };

  progress.begin('phase.scan', 0);
  let batch: FoundFile[] = [];
  for (const root of sources) {
    for (const f of listFiles(root, { exclude, onUnreadable })) {
      batch.push(f);
      if (batch.length < SCAN_BATCH) continue;
      await settle(batch);
      batch = [];
    }
  }
  await settle(batch);
  await delivering;
  progress.end();
  return { sources, notImages, unreadable };
}

export interface MonthRow {
  month: string;
  files: number;
  bytes: number;
}

/** Files and bytes per month, counted as files go by: the year/month table, oldest first. */
class MonthTally {
  private readonly by = new Map<string, MonthRow>();
  files = 0;
  bytes = 0;

  add(f: { month: string; size: number }): void {
    const row = this.by.get(f.month) ?? { month: f.month, files: 0, bytes: 0 };
    row.files++;
    row.bytes += f.size;
    this.by.set(f.month, row);
    this.files++;
    this.bytes += f.size;
  }

  rows(): MonthRow[] {
    return [...this.by.values()].sort((a, b) => a.month.localeCompare(b.month));
  }
}

export type GroupBy = 'source' | 'chat' | 'kind';

export interface ScanSummary extends ScanResult {
  files: number;
  bytes: number;
  /** Per source folder: the layouts found there and its month table. */
  perSource: { source: string; layouts: string[]; months: MonthRow[] }[];
  /** scan --by: the grouping, and a month table per source layout, chat or kind, largest group first. */
  by?: GroupBy;
  groups?: { group: string; files: number; bytes: number; months: MonthRow[] }[];
}

const groupKey = (f: ScannedFile, by: GroupBy) =>
  by === 'source' ? f.source : by === 'kind' ? f.kind : f.chat ? `${f.account ? f.account + '/' : ''}${f.chat}` : '-';

/**
 * scan, reduced to its tables as files go by: what the scan command shows, in memory that does
 * not grow with the number of files.
 */
export async function scanSummary(options: ScanOptions, by?: GroupBy): Promise<ScanSummary> {
  const total = new MonthTally();
  const perSource = new Map<string, { layouts: Set<string>; tally: MonthTally }>();
  const groups = new Map<string, MonthTally>();
  // A plain folder's heads are read in a reader thread while this one walks (see heads.ts), started
  // on the first such file: a chat cache reads none. One thread: the walk keeps the other core.
  let pool: ReadPool | null = null;
  const inspectHeads = options.inspectHeads ?? ((files: HeadFile[]) => (pool ??= new ReadPool({ wechatKey: options.wechatKey }, 1)).inspectAll(files));
  const rest = await scanEach({ ...options, inspectHeads }, (f) => {
    total.add(f);
    const s = perSource.get(f.root) ?? { layouts: new Set<string>(), tally: new MonthTally() };
    s.layouts.add(f.source);
    s.tally.add(f);
    perSource.set(f.root, s);
    if (!by) return;
    const key = groupKey(f, by);
    const g = groups.get(key) ?? new MonthTally();
    g.add(f);
    groups.set(key, g);
  }).finally(() => (pool as ReadPool | null)?.close());
  return {
    ...rest,
    files: total.files,
    bytes: total.bytes,
    perSource: rest.sources.map((source) => {
      const s = perSource.get(source);
      return { source, layouts: s ? [...s.layouts] : [], months: s ? s.tally.rows() : [] };
    }),
    ...(by && {
      by,
      groups: [...groups]
        .map(([group, t]) => ({ group, files: t.files, bytes: t.bytes, months: t.rows() }))
        .sort((a, b) => b.bytes - a.bytes || a.group.localeCompare(b.group)),
    }),
  };
}
