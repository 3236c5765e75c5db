import { mkdir, readFile, realpath, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { groupBy } from './group.js';
import { mapLimit } from './pool.js';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { selectLocations, type LocationRow } from '../catalog/locations.js';
import { resolveHashes } from '../catalog/images.js';
import { markPlaces, recordRun } from '../catalog/runs.js';
import { hashBytes, hashFile } from '../media/hash.js';
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

    const byArchive = groupBy(items.filter(({ item }) => item.action && item.action !== 'already'), ({ row }) => row.archive);
    if (!result.dryRun) {
      progress.begin('phase.restore', items.length);
      const writer = new TargetWriter();
      for (const [archive, list] of byArchive) {
        const reader = await ZipReader.open(absArchivePath(vault.dir, archive)).catch(() => null);
        try {
          // Each stored image is read and checked once, then written to every place it belongs.
          await mapLimit([...groupBy(list, ({ row }) => row.hash).values()], 4, async (group) => {
            const raw = reader ? await readChecked(reader, group[0].row) : null;
            let decoded: Buffer | null | undefined;
            await mapLimit(group, 4, async ({ item, row }) => {
              let outcome: SkipReason | 'already' | 'raw' | null;
              if (!raw) outcome = 'damaged';
              else if (decoding(row)) {
                decoded ??= decodeDat(raw, { wechatKey: options.wechatKey });
                outcome = await writer.writeDecoded(decoded ?? raw, item.target!, row.mtimeMs, dest ?? row.root, overwrite);
                if (!outcome && !decoded) outcome = 'raw';
              } else outcome = await writer.write(raw, item.target!, row.mtimeMs, dest ?? row.root);
              if (outcome === 'already') item.action = 'already';
              else if (outcome === 'raw') result.notDecoded++;
              else if (outcome) {
                item.action = null;
                item.skip = outcome;
              }
              progress.advance(1, outcome ? 0 : row.size);
            });
          });
        } finally {
          await reader?.close();
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

/** An entry's bytes, only if they are exactly what the catalogue says (hash and size). */
async function readChecked(reader: ZipReader, row: LocationRow): Promise<Buffer | null> {
  if (!reader.entries.has(row.entry)) return null;
  const bytes = await reader.readEntry(row.entry).catch(() => null);
  return bytes && bytes.length === row.size && (await hashBytes(bytes)) === row.hash ? bytes : null;
}

/**
 * Writes restored files: each under a temporary name beside its target, dated, then renamed, so a
 * target is either absent, its old self, or exactly the checked bytes. Folders made and real-path
 * checks are remembered for the run: twenty thousand files live in a few hundred folders.
 */
class TargetWriter {
  private readonly checkedParents = new Map<string, Promise<boolean>>();
  private readonly realRoots = new Map<string, Promise<string>>();

  async write(bytes: Buffer, target: string, mtimeMs: number, destRoot: string): Promise<SkipReason | null> {
    const parent = path.dirname(target);
    const tmp = path.join(parent, `.${path.basename(target)}.${randomBytes(4).toString('hex')}.picvault-part`);
    try {
      if (!(await this.parentIsSafe(parent, destRoot))) return 'unsafe-path';
      await writeFile(tmp, bytes, { flag: 'wx' });
      await utimes(tmp, new Date(mtimeMs), new Date(mtimeMs));
      await rename(tmp, target);
      return null;
    } catch {
      await rm(tmp, { force: true });
      return 'write-failed';
    }
  }

  /**
   * `restore --decode`: the raw bytes were checked against the hash (the vault's promise is about
   * them); the decoded image is compared with what is already there, then written.
   */
  async writeDecoded(bytes: Buffer, target: string, mtimeMs: number, destRoot: string, overwrite: Overwrite): Promise<SkipReason | 'already' | null> {
    const existing = await readFile(target).catch(() => null);
    if (existing && existing.equals(bytes) && overwrite !== 'always') return 'already';
    if (existing && overwrite === 'never') return 'exists-different';
    return this.write(bytes, target, mtimeMs, destRoot);
  }

  /** The parent exists and its real path lies inside the real destination: a planted symlink cannot lead out. */
  private parentIsSafe(parent: string, destRoot: string): Promise<boolean> {
    let checked = this.checkedParents.get(parent);
    if (!checked) {
      checked = (async () => {
        await mkdir(parent, { recursive: true });
        let realRoot = this.realRoots.get(destRoot);
        if (!realRoot) this.realRoots.set(destRoot, (realRoot = realpath(destRoot)));
        return isInside(await realRoot, await realpath(parent));
      })();
      checked.catch(() => undefined);
      this.checkedParents.set(parent, checked);
    }
    return checked;
  }
}
