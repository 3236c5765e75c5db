import { statSync } from 'node:fs';
import { groupBy } from '../engine/group.js';
import { mapLimit } from '../engine/pool.js';
import os from 'node:os';
import path from 'node:path';
import { iterateLocations, type LocationRow, type Narrowing } from '../catalog/locations.js';
import { resolveHashes } from '../catalog/images.js';
import { iterateRemovals } from '../catalog/removals.js';
import { archivedSources, markPlaces, recordRun, runById } from '../catalog/runs.js';
import { hashFile } from '../media/hash.js';
import { usageError } from '../errors.js';
import { absArchivePath } from '../vault/layout.js';
import { openVault } from '../vault/vault.js';
import type { Db } from '../catalog/db.js';
import { ZipReader } from '../vault/zip-reader.js';
import { silentProgress, type Progress } from './progress.js';
import { folderHolding, originalTarget, targetUnder, withHashSuffix, withPictureExtension } from './restore-target.js';
import { compileSelection, narrowing, type Selection } from './selection.js';
import type { WriteJob, WriteOutcome, WriteReply } from '../engine/restore-worker.js';
import { AccountXorKeys } from '../media/account-keys.js';
import type { PlaceFile } from '../media/picture-identity.js';
import { ownArrayBuffer, ThreadPool, workerUrl } from '../engine/thread-pool.js';
import { GroupSpool } from '../engine/group-spool.js';
import { SpillingMap } from '../engine/spilling-map.js';

/**
 * A planned place is a catalogue row and what to do with it: about 2.5 KB of objects and strings.
 * 50 000 of them (the spools' default) made 120 MB of live heap at the start of a 300 000-place
 * restore; 10 000 hold 25 MB.
 */
const PLANNED_HELD = 10_000;

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
  /** List every place in the result (default); without, only counts and skipped places. */
  items?: boolean;
  /** Places held in memory before the write plan goes to disk (default 10 000; tests use a few). */
  spoolLimit?: number;
  /** `restore --run ID`: only what that clean or dedupe run removed (an undo), with the selection on top. */
  run?: number;
  /**
   * In place, restore writes only inside the folders the place's device named in its own archive
   * runs (the catalogue's audit trail); these folders are trusted too, as the user names them.
   */
  roots?: string[];
}

export type RestoreAction = 'write' | 'already' | 'overwrite';
export type SkipReason = 'exists-different' | 'other-device' | 'unsafe-path' | 'untrusted-root' | 'damaged' | 'not-rebuilt' | 'older-version' | 'write-failed';

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
  /** Places the selection matched. */
  selected: number;
  /** Every selected place and what became of it (unless `items: false`): written ones by archive. */
  items: RestoreItem[];
  restored: number;
  already: number;
  bytes: number;
  skipped: RestoreItem[];
  /** .dat files restored as they are because they could not be decoded. */
  notDecoded: number;
  /** Of those, WeChat 4.x V2 files that the --wechat-key given (or none) did not open. */
  notDecodedV2: number;
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
  const keepItems = options.items ?? true;
  if (dest !== null && statSync(dest, { throwIfNoEntry: false })?.isDirectory() === false) throw usageError('restore.toIsFile', { dir: dest });
  const vault = await openVault(options.vault, { write: false });
  // The places to write wait here, by archive (see GroupSpool): memory does not grow with the vault.
  const held = options.spoolLimit ?? PLANNED_HELD;
  const spool = new GroupSpool<Planned>(({ row }) => row.archive, held);
  // Every target given out under --to, by its key (see targetPlanner): on disk past its default
  // 50 000 (a target is only a path and a hash), or past the tests' limit.
  const used = new SpillingMap(options.spoolLimit);
  try {
    const sel = { ...options.selection };
    if (sel.hashes) sel.hashes = resolveHashes(vault.db, sel.hashes);
    const keep = compileSelection(sel);
    const places = placesToRestore(vault.db, options.run, narrowing(sel));
    // A .dat stored raw is decoded by the writer when asked; a .dat stored as its picture is
    // written as that picture when asked, and otherwise rebuilt (SPEC "Picture identity").
    const decoding = (row: LocationRow) => options.decode === true && row.ext === 'dat';
    const asPicture = (row: LocationRow) => options.decode === true && row.fileHash !== null;
    const result: RestoreResult = {
      dryRun: options.dryRun ?? false, destination: dest, selected: 0, items: [], restored: 0, already: 0, bytes: 0, skipped: [], notDecoded: 0, notDecodedV2: 0,
    };
    const restoredInPlace: number[] = [];
    const tally = ({ item, row }: Planned) => {
      if (item.skip) result.skipped.push(strip(item));
      else if (item.action === 'already') result.already++;
      else if (item.action) {
        result.restored++;
        result.bytes += row.size;
      }
      // In its original place again (written, or found already there): the catalogue says so.
      if (item.action && !item.skip && item.target === item.from) restoredInPlace.push(item.id);
      if (keepItems) result.items.push(strip(item));
    };

    // Where each selected place goes and what is there now. Places with nothing to write are
    // counted at once; the others are spooled by archive.
    const targets = targetPlanner({
      dest, device, deviceChosen: options.selection?.devices !== undefined, used,
      ...(dest === null && { newest: newestByPath(places(keep)), trusted: trustedFolders(vault.db, options.roots ?? []) }),
    });
    for (const row of places(keep)) {
      const planned = targets.plan(row);
      const { item } = planned;
      result.selected++;
      // The writer names a decoded picture once it is proven; a dry run shows the name it expects.
      if (result.dryRun && item.target && decoding(row) && row.decodedExt) item.target = withPictureExtension(item.target, row.decodedExt);
      if (item.target && asPicture(row)) item.target = withPictureExtension(item.target, row.ext);
      // A decoded file is compared with what is there once it is decoded (see restore-worker).
      if (item.target && !item.skip) {
        if (decoding(row)) item.action = 'write';
        else await decide(item, asPicture(row) ? pictureOf(row) : fileOf(row), overwrite);
      }
      if (!result.dryRun && item.action && item.action !== 'already') spool.add(planned);
      else tally(planned);
    }

    if (!result.dryRun) {
      progress.begin('phase.restore', spool.size);
      const settle = (planned: Planned, outcome: WriteOutcome, writtenRaw: boolean, writtenAs?: string | null, needsV2Key = false) => {
        const { item, row } = planned;
        if (writtenAs) item.target = writtenAs;
        if (!outcome && writtenRaw && needsV2Key) result.notDecodedV2++;
        if (outcome === 'already') item.action = 'already';
        else if (outcome) {
          item.action = null;
          item.skip = outcome;
        } else if (writtenRaw) result.notDecoded++;
        progress.advance(1, outcome ? 0 : row.size);
        tally(planned);
      };
      const writers = new ThreadPool(workerUrl('restore-worker'));
      /**
       * The drive stopped the run (full, read-only, failing; see restore-worker): no image is
       * started after it, the ones in flight finish (a writer thread is never stopped mid-file, so
       * no temporary file is left), and the error, with its errno code and path, goes to the user
       * (cli/main.ts). Every target written so far is whole and counted; run again, restore finds
       * those already there and writes the rest.
       */
      let stopped: Error | null = null;
      /**
       * One stored image to a writer thread, which reads and checks it and writes it to every
       * place it belongs (see restore-worker); each place settled with its outcome.
       */
      /** 4.x tail keys learned from the files written so far, by account (media/account-keys.ts). */
      const accountKeys = new AccountXorKeys();
      /** Pictures only an account key could prove, tried again at the end with what the run learned. */
      const deferred: { zip: string; group: Planned[] }[] = [];
      const restoreImage = async (zip: string, reader: ZipReader | null, group: Planned[], lastTry: boolean) => {
        if (stopped) return;
        const { row } = group[0];
        const entry = reader?.entries.get(row.entry);
        if (!reader || !entry) return void group.forEach((p) => settle(p, 'damaged', false));
        let from: WriteJob['from'] = { entry: { zip, headerOffset: entry.headerOffset, size: entry.compressedSize } };
        if (entry.method !== 0) {
          // Images are stored; an entry some other tool deflated is inflated here and handed over.
          const bytes = await reader.readEntry(row.entry).catch(() => null);
          if (!bytes) return void group.forEach((p) => settle(p, 'damaged', false));
          from = { bytes: ownArrayBuffer(bytes) };
        }
        const accounts = group.map((p) => p.row.account).filter((a): a is string => Boolean(a));
        const job: WriteJob = {
          from,
          hash: row.hash,
          size: row.imageSize,
          targets: group.map(({ item, row: r, root }) => ({
            target: item.target!, mtimeMs: r.mtimeMs, destRoot: root, ...(decoding(r) && { decoded: { overwrite } }),
            ...(r.fileHash !== null && !asPicture(r) && { rebuild: { recipe: r.recipe, file: fileOf(r) } }),
          })),
          wechatKey: options.wechatKey,
          accountXorKey: accounts.map((a) => accountKeys.get(a)).find((k) => k !== undefined),
          deferUnproven: !lastTry,
        };
        const reply = await writers.run<WriteReply>(job, { transfer: 'bytes' in job.from ? [job.from.bytes] : [] });
        if (reply.learnedXorKey !== undefined) for (const a of accounts) accountKeys.learn(a, reply.learnedXorKey);
        if (reply.deferred) return void deferred.push({ zip, group });
        group.forEach((p, i) => settle(p, reply.outcomes[i], reply.undecodable && decoding(p.row), reply.writtenAs?.[i], reply.needsV2Key));
        if (reply.stopped) stopped ??= Object.assign(new Error(`${reply.stopped.code}: ${reply.stopped.path}`), reply.stopped);
      };
      try {
        for (const archive of spool.keys()) {
          if (stopped) break;
          const zip = absArchivePath(vault.dir, archive);
          const reader = await ZipReader.open(zip).catch(() => null);
          try {
            // One zip may store the images of far more places than the spool holds (the later
            // months' places of images stored in an early month): taken a spool's worth at a time.
            // An image whose places straddle two chunks is read once for each.
            for (const list of spool.takeInChunks(archive, held)) {
              if (stopped) break;
              // A few images in flight keep both writer threads busy.
              await mapLimit([...groupBy(list, ({ row }) => row.hash).values()], 8, (group) => restoreImage(zip, reader, group, false));
            }
          } finally {
            await reader?.close();
          }
        }
        for (const [zip, groups] of groupBy(deferred, (d) => d.zip)) {
          if (stopped) break;
          const reader = await ZipReader.open(zip).catch(() => null);
          try {
            for (const { group } of groups) await restoreImage(zip, reader, group, true);
          } finally {
            await reader?.close();
          }
        }
      } finally {
        await writers.close();
      }
      progress.end();
      if (!vault.readOnly) recordRestore(vault.db, restoredInPlace, result, options, device, startedAt, stopped !== null);
      if (stopped) throw stopped;
    }
    return result;
  } finally {
    spool.close();
    used.close();
    await vault.close();
  }
}

/**
 * The audit trail. Restore needs no lock and reads a vault on read-only media, where nothing is
 * recorded; a catalogue that refuses the write anyway does not fail a restore that succeeded.
 */
function recordRestore(
  db: Db, restoredInPlace: number[], result: RestoreResult, options: RestoreOptions, device: string, startedAt: string, stopped: boolean,
): void {
  try {
    markPlaces(db, 'restored_at', restoredInPlace);
    recordRun(db, {
      // An undo says which run it undid (the web page's run log shows it so).
      command: 'restore', device, startedAt, sources: result.destination ? [result.destination] : [], selection: { ...options.selection, ...(options.run !== undefined && { run: options.run }) },
      files: result.restored, bytes: result.bytes, skipped: result.skipped.length, outcome: stopped || result.skipped.length > 0 ? 'partial' : 'done',
    });
  } catch {
    // read-only catalogue
  }
}

/**
 * The places a restore chooses from: every catalogued place, or with `--run` those one clean or
 * dedupe run removed. A run that is not in the log, or removed nothing, is bad input.
 */
function placesToRestore(db: Db, run: number | undefined, narrow: Narrowing): (keep: (row: LocationRow) => boolean) => Iterable<LocationRow> {
  if (run === undefined) return (keep) => iterateLocations(db, keep, narrow);
  const found = runById(db, run);
  if (!found) throw usageError('run.unknown', { run });
  if (found.command !== 'clean' && found.command !== 'dedupe') throw usageError('run.notRemoval', { run, command: found.command });
  return (keep) => iterateRemovals(db, run, keep);
}

const strip = ({ id: _id, ...rest }: RestoreItem & { id: number }): RestoreItem => rest;

/** A selected place, where it goes and what to do with it; root: the folder the target must stay inside. */
type Planned = { item: RestoreItem & { id: number }; row: LocationRow; root: string };

/**
 * Restoring in place, a path archived twice (it changed between runs) gets its newest selected
 * version: the id of that version per path, found in a first pass over the selection.
 */
function newestByPath(rows: Iterable<LocationRow>): Map<string, { id: number; mtimeMs: number }> {
  const newest = new Map<string, { id: number; mtimeMs: number }>();
  for (const r of rows) {
    const cur = newest.get(r.path);
    if (!cur || r.mtimeMs > cur.mtimeMs) newest.set(r.path, { id: r.id, mtimeMs: r.mtimeMs });
  }
  return newest;
}

/**
 * Where restoring in place may write: the folders a device's own archive runs named (the audit
 * trail, written only by picvault's runs on this catalogue) and the folders the user names. A
 * catalogued root is not enough: it comes from a manifest, and a zip can be crafted. The folder
 * holding a target, or null.
 */
function trustedFolders(db: Db, named: string[]): (device: string, target: string) => string | null {
  const byDevice = new Map<string, string[]>();
  const userNamed = named.map((n) => path.resolve(n));
  return (device, target) => {
    let folders = byDevice.get(device);
    if (!folders) byDevice.set(device, (folders = [...archivedSources(db, device), ...userNamed]));
    return folderHolding(folders, target);
  };
}

interface TargetPlan {
  dest: string | null;
  device: string;
  deviceChosen: boolean;
  used: SpillingMap;
  /** In place: the newest version of each path, and the folders restore may write in. */
  newest?: Map<string, { id: number }>;
  trusted?: (device: string, target: string) => string | null;
}

/**
 * Where each selected place goes, or why it does not go anywhere, one place at a time in the
 * selection's order. Under --to, a target two different images would share (the same path
 * archived in two versions, or names differing only in case on Windows and macOS) goes to the
 * first; the others get the hash in their name.
 */
function targetPlanner({ dest, device, deviceChosen, used, newest, trusted }: TargetPlan) {
  const key = (target: string) => (process.platform === 'win32' || process.platform === 'darwin' ? target.toLowerCase() : target);
  return {
    plan(row: LocationRow): Planned {
      const item = { id: row.id, hash: row.hash, month: row.month, from: row.path, device: row.device, target: null as string | null, action: null as RestoreAction | null, skip: null as SkipReason | null };
      if (dest === null) {
        let root: string | null = null;
        if (row.device !== device && !deviceChosen) item.skip = 'other-device';
        else if (newest?.get(row.path)?.id !== row.id) item.skip = 'older-version';
        else if (!(item.target = originalTarget(row.root, row.path))) item.skip = 'unsafe-path';
        else if (!(root = trusted?.(row.device, item.target) ?? null)) {
          item.target = null;
          item.skip = 'untrusted-root';
        }
        return { item, row, root: root ?? row.root };
      }
      let target = targetUnder(dest, row.device, row.path);
      if (!target) {
        item.skip = 'unsafe-path';
        return { item, row, root: dest };
      }
      const owner = used.get(key(target));
      if (owner !== undefined && owner !== row.hash) target = withHashSuffix(target, row.hash);
      used.set(key(target), row.hash);
      item.target = target;
      return { item, row, root: dest };
    },
  };
}

/** The place's own file: what restoring it to its place must reproduce (a .dat stored as its picture is rebuilt). */
const fileOf = (row: LocationRow): PlaceFile => ({ hash: row.fileHash ?? row.hash, size: row.size });
/** The stored picture, as `--decode` writes a .dat stored as its picture. */
const pictureOf = (row: LocationRow): PlaceFile => ({ hash: row.hash, size: row.imageSize });

/** What to do with a target that may already exist, per --overwrite: it is the same when it holds `want`. */
async function decide(item: RestoreItem, want: PlaceFile, overwrite: Overwrite): Promise<void> {
  // Synchronous: tens of thousands of targets, nearly all absent, each a thread-pool round trip otherwise.
  let st;
  try {
    st = statSync(item.target!, { throwIfNoEntry: false });
  } catch {
    // not reachable (a file where a folder should be, no permission): the write will say so
  }
  if (!st) return void (item.action = 'write');
  const same = st.isFile() && st.size === want.size && (await hashFile(item.target!).catch(() => null))?.hash === want.hash;
  if (same && overwrite !== 'always') item.action = 'already';
  else if (!same && overwrite === 'never') item.skip = 'exists-different';
  else item.action = 'overwrite';
}
