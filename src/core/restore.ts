import { statSync } from 'node:fs';
import { groupBy } from './group.js';
import { mapLimit } from './pool.js';
import os from 'node:os';
import path from 'node:path';
import { selectLocations, type LocationRow } from '../catalog/locations.js';
import { resolveHashes } from '../catalog/images.js';
import { markPlaces, recordRun } from '../catalog/runs.js';
import { hashBytes, hashFile } from '../media/hash.js';
import { decodeDat } from '../media/dat.js';
import { absArchivePath } from '../vault/layout.js';
import { openVault } from '../vault/vault.js';
import type { Db } from '../catalog/db.js';
import { ZipReader } from '../vault/zip-reader.js';
import { silentProgress, type Progress } from './progress.js';
import { originalTarget, targetUnder, withHashSuffix } from './restore-target.js';
import { compileSelection, type Selection } from './selection.js';
import type { WriteJob, WriteOutcome } from './restore-worker.js';
import { ThreadPool, workerUrl } from './thread-pool.js';

export type Overwrite = 'never' | 'if-different' | 'always';

export interface RestoreOptions {
  vault: string;
  selection?: Selection;
  /** Restore under this folder; without it, to the original places of this device's files. */
  to?: string;
  overwrite?: Overwrite;
  dryRun?: boolean;
  /** This device's name: what "original place" means. Default: the host name. */
  device?: string;
  progress?: Progress;
  /** Write WeChat .dat images decoded, with the extension of the image inside. */
  decode?: boolean;
  /** WeChat 4.x V2 account key, for --decode. */
  wechatKey?: string;
}

export type RestoreAction = 'write' | 'already' | 'overwrite';
export type SkipReason = 'exists-different' | 'other-device' | 'unsafe-path' | 'damaged' | 'older-version' | 'write-failed';

export interface RestoreItem {
  hash: string;
  month: string;
  from: string;
  device: string;
  target: string | null;
  action: RestoreAction | null;
  skip: SkipReason | null;
}

export interface RestoreResult {
  dryRun: boolean;
  destination: string | null;
  items: RestoreItem[];
  restored: number;
  already: number;
  bytes: number;
  skipped: RestoreItem[];
  /** .dat files restored as they are because they could not be decoded. */
  notDecoded: number;
}

/**
 * restore: bring back the selected places, byte for byte, with their modification times. Each
 * file is written under a temporary name beside its target, hash-checked, dated, then renamed,
 * so a target is either absent, its old self, or exactly the archived bytes.
 */
export async function restore(options: RestoreOptions): Promise<RestoreResult> {
  const progress = options.progress ?? silentProgress;
  const overwrite = options.overwrite ?? 'never';
  const device = options.device ?? os.hostname();
  const dest = options.to !== undefined ? path.resolve(options.to) : null;
  const startedAt = new Date().toISOString();
  const vault = await openVault(options.vault, { write: false });
  try {
    const sel = { ...options.selection };
    if (sel.hashes) sel.hashes = resolveHashes(vault.db, sel.hashes);
    const keep = compileSelection(sel);
    const rows = selectLocations(vault.db, keep);
    const items = planTargets(rows, dest, device, options.selection?.devices !== undefined);
    const decoding = (row: LocationRow) => options.decode === true && row.ext === 'dat';
    if (options.decode) {
      for (const { item, row } of items) if (item.target && decoding(row) && row.decodedExt) item.target = withExtension(item.target, row.decodedExt);
    }
    const result: RestoreResult = { dryRun: options.dryRun ?? false, destination: dest, items: [], restored: 0, already: 0, bytes: 0, skipped: [], notDecoded: 0 };

    // A decoded file is compared with what is there once it is decoded (see writeDecoded).
    for (const { item, row } of items) if (item.target && !item.skip && !decoding(row)) await decide(item, row, overwrite);
    for (const { item, row } of items) if (item.target && !item.skip && decoding(row)) item.action = 'write';

    const byArchive = groupBy(items.filter(({ item }) => item.action && item.action !== 'already'), ({ row }) => row.archive);
    if (!result.dryRun) {
      progress.begin('phase.restore', items.length);
      const settle = ({ item, row }: Planned, outcome: WriteOutcome | 'damaged', writtenRaw: boolean) => {
        if (outcome === 'already') item.action = 'already';
        else if (outcome) {
          item.action = null;
          item.skip = outcome;
        } else if (writtenRaw) result.notDecoded++;
        progress.advance(1, outcome ? 0 : row.size);
      };
      const writers = new ThreadPool(workerUrl('restore-worker', import.meta.url));
      try {
        for (const [archive, list] of byArchive) {
          const reader = await ZipReader.open(absArchivePath(vault.dir, archive)).catch(() => null);
          try {
            // Each stored image is read and checked once, then written to every place it belongs
            // by a writer thread; a few images are in flight so both writers stay busy.
            await mapLimit([...groupBy(list, ({ row }) => row.hash).values()], 8, async (group) => {
              const raw = reader ? await readChecked(reader, group[0].row) : null;
              if (!raw) return void group.forEach((p) => settle(p, 'damaged', false));
              const dats = group.filter(({ row }) => decoding(row));
              const decoded = dats.length > 0 ? decodeDat(raw, { wechatKey: options.wechatKey }) : null;
              const parts: [Buffer, Planned[]][] = decoded ? [[raw, group.filter(({ row }) => !decoding(row))], [decoded, dats]] : [[raw, group]];
              await Promise.all(
                parts.filter(([, part]) => part.length > 0).map(async ([bytes, part]) => {
                  const job: WriteJob = {
                    bytes: ownArrayBuffer(bytes),
                    targets: part.map(({ item, row }) => ({
                      target: item.target!, mtimeMs: row.mtimeMs, destRoot: dest ?? row.root, ...(decoding(row) && { decoded: { overwrite } }),
                    })),
                  };
                  const outcomes = await writers.run<WriteOutcome[]>(job, { transfer: [job.bytes] });
                  part.forEach((p, i) => settle(p, outcomes[i], decoding(p.row) && !decoded));
                }),
              );
            });
          } finally {
            await reader?.close();
          }
        }
      } finally {
        await writers.close();
      }
      progress.end();
    }
    for (const { item, row } of items) {
      if (item.skip) result.skipped.push(strip(item));
      else if (item.action === 'already') result.already++;
      else if (item.action) {
        result.restored++;
        result.bytes += row.size;
      }
    }
    result.items = items.map(({ item }) => strip(item));
    if (!result.dryRun) recordRestore(vault.db, items, result, options, device, startedAt);
    return result;
  } finally {
    await vault.close();
  }
}

/**
 * The audit trail. Restore needs no lock and may read a vault on read-only media; there the
 * record is skipped rather than failing a restore that succeeded.
 */
function recordRestore(db: Db, items: Planned[], result: RestoreResult, options: RestoreOptions, device: string, startedAt: string): void {
  try {
    markPlaces(db, 'restored_at', items.filter(({ item }) => item.action && !item.skip && item.target === item.from).map(({ item }) => item.id));
    recordRun(db, {
      command: 'restore', device, startedAt, sources: result.destination ? [result.destination] : [], selection: options.selection ?? {},
      files: result.restored, bytes: result.bytes, skipped: result.skipped.length, outcome: result.skipped.length > 0 ? 'partial' : 'done',
    });
  } catch {
    // read-only catalogue
  }
}

const strip = ({ id: _id, ...rest }: RestoreItem & { id: number }): RestoreItem => rest;

type Planned = { item: RestoreItem & { id: number }; row: LocationRow };

/** Where each selected place goes, or why it does not go anywhere. */
function planTargets(rows: LocationRow[], dest: string | null, device: string, deviceChosen: boolean): Planned[] {
  const planned: Planned[] = [];
  const used = new Map<string, string>();
  // Restoring in place, a path archived twice (it changed between runs) gets its newest version.
  const newest = new Map<string, LocationRow>();
  for (const r of rows) {
    const cur = newest.get(r.path);
    if (!cur || r.mtimeMs > cur.mtimeMs) newest.set(r.path, r);
  }
  for (const row of rows) {
    const item = { id: row.id, hash: row.hash, month: row.month, from: row.path, device: row.device, target: null as string | null, action: null as RestoreAction | null, skip: null as SkipReason | null };
    planned.push({ item, row });
    if (dest === null) {
      if (row.device !== device && !deviceChosen) item.skip = 'other-device';
      else if (newest.get(row.path) !== row) item.skip = 'older-version';
      else if (!(item.target = originalTarget(row.root, row.path))) item.skip = 'unsafe-path';
      continue;
    }
    let target = targetUnder(dest, row.device, row.path);
    if (!target) {
      item.skip = 'unsafe-path';
      continue;
    }
    const key = process.platform === 'win32' || process.platform === 'darwin' ? target.toLowerCase() : target;
    const owner = used.get(key);
    if (owner !== undefined && owner !== row.hash) target = withHashSuffix(target, row.hash);
    used.set(process.platform === 'win32' || process.platform === 'darwin' ? target.toLowerCase() : target, row.hash);
    item.target = target;
  }
  return planned;
}

/** What to do with a target that may already exist, per --overwrite. */
async function decide(item: RestoreItem, row: LocationRow, overwrite: Overwrite): Promise<void> {
  // Synchronous: tens of thousands of targets, nearly all absent, each a thread-pool round trip otherwise.
  let st;
  try {
    st = statSync(item.target!, { throwIfNoEntry: false });
  } catch {
    // not reachable (a file where a folder should be, no permission): the write will say so
  }
  if (!st) return void (item.action = 'write');
  const same = st.isFile() && st.size === row.size && (await hashFile(item.target!).catch(() => null))?.hash === row.hash;
  if (same && overwrite !== 'always') item.action = 'already';
  else if (!same && overwrite === 'never') item.skip = 'exists-different';
  else item.action = 'overwrite';
}

const withExtension = (p: string, ext: string) => p.replace(/\.dat$/i, '') + `.${ext}`;

/** An entry's bytes, only if they are exactly what the catalogue says (hash and size). */
async function readChecked(reader: ZipReader, row: LocationRow): Promise<Buffer | null> {
  if (!reader.entries.has(row.entry)) return null;
  const bytes = await reader.readEntry(row.entry).catch(() => null);
  return bytes && bytes.length === row.size && (await hashBytes(bytes)) === row.hash ? bytes : null;
}

/** The bytes as an ArrayBuffer of their own, to hand to a writer thread (small buffers share a pool's). */
function ownArrayBuffer(b: Buffer): ArrayBuffer {
  const own = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength;
  return (own ? b.buffer : b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)) as ArrayBuffer;
}
