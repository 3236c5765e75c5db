import { createWriteStream } from 'node:fs';
import { mkdir, readFile, realpath, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { selectLocations, type LocationRow } from '../catalog/locations.js';
import { resolveHashes } from '../catalog/images.js';
import { markPlaces, recordRun } from '../catalog/runs.js';
import { createHash64, hashBytes, hashFile } from '../media/hash.js';
import { decodeDat } from '../media/dat.js';
import { isInside } from '../sources/protected.js';
import { absArchivePath } from '../vault/layout.js';
import { openVault } from '../vault/vault.js';
import type { Db } from '../catalog/db.js';
import { ZipReader } from '../vault/zip-reader.js';
import { silentProgress, type Progress } from './progress.js';
import { originalTarget, targetUnder, withHashSuffix } from './restore-target.js';
import { compileSelection, type Selection } from './selection.js';

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

    const byArchive = new Map<string, { item: RestoreItem & { id: number }; row: LocationRow }[]>();
    for (const { item, row } of items) {
      if (!item.action || item.action === 'already') continue;
      const list = byArchive.get(row.archive) ?? [];
      list.push({ item, row });
      byArchive.set(row.archive, list);
    }
    if (!result.dryRun) {
      progress.begin('phase.restore', items.length);
      const realRoots = new Map<string, string>();
      for (const [archive, list] of byArchive) {
        const reader = await ZipReader.open(absArchivePath(vault.dir, archive)).catch(() => null);
        for (const { item, row } of list) {
          let failed: SkipReason | null | 'already' | 'raw';
          if (reader === null) failed = 'damaged';
          else if (decoding(row)) failed = await writeDecoded(reader, row, item.target!, dest ?? row.root, realRoots, overwrite, options.wechatKey);
          else failed = await writeOne(reader, row, item.target!, dest ?? row.root, realRoots);
          if (failed === 'already') item.action = 'already';
          else if (failed === 'raw') result.notDecoded++;
          else if (failed) {
            item.action = null;
            item.skip = failed;
          }
          progress.advance(1, failed ? 0 : row.size);
        }
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
  const st = await stat(item.target!).catch(() => null);
  if (!st) return void (item.action = 'write');
  const same = st.isFile() && st.size === row.size && (await hashFile(item.target!).catch(() => null))?.hash === row.hash;
  if (same && overwrite !== 'always') item.action = 'already';
  else if (!same && overwrite === 'never') item.skip = 'exists-different';
  else item.action = 'overwrite';
}

const withExtension = (p: string, ext: string) => p.replace(/\.dat$/i, '') + `.${ext}`;

/**
 * `restore --decode`: the raw bytes are checked against the hash first (the vault's promise is
 * about them), then decoded and written with the image's own extension and date. A .dat that
 * cannot be decoded (a V2 file without the key) is restored as it is.
 */
async function writeDecoded(
  reader: ZipReader, row: LocationRow, target: string, destRoot: string, realRoots: Map<string, string>,
  overwrite: Overwrite, wechatKey?: string,
): Promise<SkipReason | 'already' | 'raw' | null> {
  if (!reader.entries.has(row.entry)) return 'damaged';
  const raw = await reader.readEntry(row.entry).catch(() => null);
  if (!raw || raw.length !== row.size || (await hashBytes(raw)) !== row.hash) return 'damaged';
  const decoded = decodeDat(raw, { wechatKey });
  const bytes = decoded ?? raw;
  const existing = await readFile(target).catch(() => null);
  if (existing && existing.equals(bytes) && overwrite !== 'always') return 'already';
  if (existing && overwrite === 'never') return 'exists-different';
  const failed = await writeBytes(bytes, row.mtimeMs, target, destRoot, realRoots);
  return failed ?? (decoded ? null : 'raw');
}

async function writeBytes(bytes: Buffer, mtimeMs: number, target: string, destRoot: string, realRoots: Map<string, string>): Promise<SkipReason | null> {
  const parent = path.dirname(target);
  const tmp = path.join(parent, `.${path.basename(target)}.${randomBytes(4).toString('hex')}.picvault-part`);
  try {
    await mkdir(parent, { recursive: true });
    if (!(await insideRealRoot(parent, destRoot, realRoots))) return 'unsafe-path';
    await writeFile(tmp, bytes, { flag: 'wx' });
    await utimes(tmp, new Date(mtimeMs), new Date(mtimeMs));
    await rename(tmp, target);
    return null;
  } catch {
    await rm(tmp, { force: true });
    return 'write-failed';
  }
}

/** The parent's real path lies inside the real destination: a planted symlink cannot lead out. */
async function insideRealRoot(parent: string, destRoot: string, realRoots: Map<string, string>): Promise<boolean> {
  let realRoot = realRoots.get(destRoot);
  if (!realRoot) realRoots.set(destRoot, (realRoot = await realpath(destRoot)));
  return isInside(realRoot, await realpath(parent));
}

/**
 * Streams one entry to a temporary file beside its target, checks hash and size, sets the
 * modification time, renames. The parent folder's real path must lie inside the real
 * destination, so a symbolic link planted in the destination cannot carry the write elsewhere.
 */
async function writeOne(reader: ZipReader, row: LocationRow, target: string, destRoot: string, realRoots: Map<string, string>): Promise<SkipReason | null> {
  const entry = reader.entries.get(row.entry);
  if (!entry) return 'damaged';
  const parent = path.dirname(target);
  const tmp = path.join(parent, `.${path.basename(target)}.${randomBytes(4).toString('hex')}.picvault-part`);
  const h = await createHash64();
  let size = 0;
  try {
    await mkdir(parent, { recursive: true });
    if (!(await insideRealRoot(parent, destRoot, realRoots))) return 'unsafe-path';
    await pipeline(
      entry.open(),
      new Transform({
        transform(chunk: Buffer, _e, done) {
          h.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      }),
      createWriteStream(tmp, { flags: 'wx' }),
    );
    if (h.digest() !== row.hash || size !== row.size) {
      await rm(tmp, { force: true });
      return 'damaged';
    }
    const mtime = new Date(row.mtimeMs);
    await utimes(tmp, mtime, mtime);
    await rename(tmp, target);
    return null;
  } catch {
    await rm(tmp, { force: true });
    return 'write-failed';
  }
}
