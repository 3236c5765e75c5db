import os from 'node:os';
import { storedAmong } from '../catalog/images.js';
import { countRun, finishRun, startRun, type RunRecord } from '../catalog/runs.js';
import { onInterrupt } from './last-words.js';
import { knownFile } from '../catalog/locations.js';
import { sameFileTime } from '../media/file-time.js';
import { ReadPool } from '../engine/read-pool.js';
import { openVault, type Vault } from '../vault/vault.js';
import { ArchivePlanner, type HashedFile, type MonthPlan } from './archive-plan.js';
import { orderedCommitter, renameGate, writeMonth, type MonthIo, type WrittenArchive } from '../engine/month-writer.js';
import { silentProgress, type Progress } from './progress.js';
import { recoverVault, type Recovery } from './recover.js';
import { checkSources, scanEach, type ScannedFile, type Skipped } from './scan.js';
import { GroupSpool } from '../engine/group-spool.js';
import type { HeadResult } from './heads.js';
import type { FoundFile } from '../sources/types.js';
import type { ReadResult } from '../engine/read-worker.js';
import { compileSelection, needsHash, selectsByDate, type Selection } from './selection.js';
import { AccountXorKeys } from '../media/account-keys.js';
import { checkDeviceName } from './device-name.js';

export interface ArchiveOptions {
  vault: string;
  sources: string[];
  selection?: Selection;
  device?: string;
  dryRun?: boolean;
  /** Bytes; a month's zip is split into parts past this (SPEC default 2 GiB, FAT32-safe). */
  maxArchiveSize?: number;
  forceZip64?: boolean;
  progress?: Progress;
  /** WeChat 4.x V2 account key. */
  wechatKey?: string;
  /** Files held in memory before the month spool goes to disk (default 50 000; tests use a few). */
  spoolLimit?: number;
  /** Places planned and written together, at most (default MONTH_SLICE; tests use a few). */
  monthSlice?: number;
  /** Only the files this says yes to (dedupe --clean archives the copies it removes, no others). */
  only?: (path: string) => boolean;
}

export interface ArchiveResult {
  vault: string;
  device: string;
  dryRun: boolean;
  /** Image files selected under the sources. */
  selected: number;
  /** Already catalogued from this device with the same size and time: not read again. */
  unchanged: number;
  plan: {
    newBytes: number;
    newImages: number;
    duplicates: number;
    months: { month: string; files: number; newImages: number; newBytes: number }[];
  };
  archives: WrittenArchive[];
  skipped: Skipped[];
  recovery: Recovery | null;
}

export const DEFAULT_MAX_ARCHIVE_SIZE = 2 * 1024 ** 3;
const MONTH_CONCURRENCY = 2;
/** Places hashed and planned but not yet being written; a few hundred bytes each. */
const READ_AHEAD_PLACES = 4_000;
/**
 * A month is hashed, planned and written this many places at a time, each slice in zips of its
 * own: a busy month (or a cache copied to a new disk, all its files dated the day of the copy)
 * can hold hundreds of thousands of files, and a plan and manifest of all of them cost memory
 * in proportion (100 000 places in one month peaked at 466 MB; 211 MB in slices). Images are
 * still stored once: a later slice records places of an earlier slice's images without storing
 * them again. Slices of 5 000 peaked at 286-308 MB on the bench's 300 000 files (5 000 a month),
 * of 2 000 at 262-267 MB, in the same time.
 */
export const MONTH_SLICE = 2_000;

/** A plan now in the catalogue: its new images' hashes, its places and the bytes it stored. */
interface Committed {
  stored: string[];
  files: number;
  bytes: number;
}

const newBytesOf = (plan: MonthPlan) => plan.newImages.reduce((n, i) => n + i.size, 0);

/**
 * Writes month plans (a slice of a month each, see MONTH_SLICE) as they come, a few at a time:
 * renames and catalogue commits in month order (see renameGate and orderedCommitter). Plans wait
 * in a queue so that hashing reads ahead of the writing; past READ_AHEAD_PLACES queued places
 * add() waits, which keeps memory flat on any cache size. A plan's new images are handed to
 * `catalogued` once its zips are in the catalogue. The first failure stops the run.
 */
function monthWriter(
  vault: Vault, io: MonthIo, options: ArchiveOptions, skipped: Skipped[], archives: WrittenArchive[], catalogued: (committed: Committed) => void,
) {
  const commit = orderedCommitter(vault.db, skipped);
  /** Each plan's new images and places, until its commit. */
  const storing = new Map<number, Committed>();
  const gate = renameGate();
  const inFlight = new Set<Promise<void>>();
  const queue: { plan: MonthPlan; index: number }[] = [];
  let queuedPlaces = 0;
  let failure: unknown = null;
  let index = 0;
  const startNext = () => {
    while (!failure && inFlight.size < MONTH_CONCURRENCY && queue.length > 0) {
      const { plan, index: i } = queue.shift()!;
      queuedPlaces -= plan.locations.length;
      storing.set(i, { stored: plan.newImages.map((img) => img.hash), files: plan.locations.length, bytes: newBytesOf(plan) });
      const job = writeMonth(vault, plan, {
        io, maxArchiveSize: options.maxArchiveSize ?? DEFAULT_MAX_ARCHIVE_SIZE, forceZip64: options.forceZip64, skipped, mayRename: gate.mayRename(i),
        wechatKey: options.wechatKey,
      })
        .then((sealed) => {
          gate.monthDone(i);
          for (const c of commit(i, sealed)) {
            catalogued(storing.get(c)!);
            storing.delete(c);
          }
          archives.push(...sealed.map(({ row: _row, manifest: _manifest, ...summary }) => summary));
        })
        .catch((err: unknown) => {
          failure ??= err;
          gate.abort(err);
        })
        .finally(() => {
          inFlight.delete(job);
          startNext();
        });
      inFlight.add(job);
    }
  };
  return {
    async add(plan: MonthPlan): Promise<void> {
      if (failure) throw failure;
      queue.push({ plan, index: index++ });
      queuedPlaces += plan.locations.length;
      startNext();
      while (queuedPlaces > READ_AHEAD_PLACES && inFlight.size > 0) await Promise.race(inFlight);
      if (failure) throw failure;
    },
    async finish(): Promise<void> {
      while (inFlight.size > 0) await Promise.all(inFlight);
      if (failure) throw failure;
    },
  };
}

/**
 * archive: scan the sources, hash what is new or changed, store each image not yet in the vault
 * once, record every place it was seen, month by month. The originals are never touched.
 */
export async function archive(options: ArchiveOptions): Promise<ArchiveResult> {
  const progress = options.progress ?? silentProgress;
  const device = checkDeviceName(options.device ?? os.hostname());
  const dryRun = options.dryRun ?? false;
  const selection = options.selection ?? {};
  const startedAt = new Date().toISOString();

  // A source that is not there is bad input: said before the vault is made, so nothing is left behind.
  await checkSources(options.sources);
  // Started first: the reader threads start and load their modules while the vault opens and the
  // sources are scanned.
  const pool = new ReadPool({ wechatKey: options.wechatKey });
  const vault = await (dryRun ? openVault(options.vault, { write: false }).catch(() => null) : openVault(options.vault, { write: true, create: true }))
    .catch(async (err: unknown) => {
      await pool.close();
      throw err;
    });
  const writes = vault !== null && !dryRun;
  const spool = new GroupSpool<ScannedFile>((f) => f.month, options.spoolLimit);
  let runId = 0;
  let runEnded = false;
  let forgetEnding = () => {};
  /** What the run stored so far: the places and new bytes of the plans in the catalogue. */
  const done = { files: 0, bytes: 0 };
  let skipped: Skipped[] = [];
  const endRun = (outcome: RunRecord['outcome']) => {
    runEnded = true;
    finishRun(vault!.db, runId, { ...done, skipped: skipped.length, outcome });
  };
  try {
    const recovery = writes ? await recoverVault(vault) : null;
    // Files are spooled by month as they are found (see GroupSpool); a file catalogued before from
    // this device with the same size and time is counted, never read again.
    const known = vault ? knownFile(vault.db, device) : () => undefined;
    const isUnchanged = (f: FoundFile) => {
      const k = known(f.path);
      return k !== undefined && k.size === f.size && sameFileTime(k.mtimeMs, f.mtimeMs);
    };
    let selected = 0;
    let unchanged = 0;
    let toReadBytes = 0;
    // A plain folder's files are dated by their EXIF, read in the reader threads (idle until the
    // first month is hashed) while this thread walks on. Those the run reads whole anyway are
    // read whole there and hashed from the same bytes; the others (catalogued and unchanged,
    // left out, or perhaps outside a date selection) by their heads only.
    const unchangedAtScan = new Set<string>();
    const byDate = selectsByDate(selection);
    const readsWhole = (f: FoundFile) => {
      if (byDate || (options.only && !options.only(f.path))) return false;
      if (!isUnchanged(f)) return true;
      unchangedAtScan.add(f.path);
      return false;
    };
    const inspectHeads = scanInspector(pool, readsWhole);
    const scanned = await scanEach({ sources: options.sources, exclude: [options.vault], selection, progress, wechatKey: options.wechatKey, inspectHeads }, (f) => {
      if (options.only && !options.only(f.path)) return;
      selected++;
      // A file read whole at scan was found changed there: not looked up again.
      if (unchangedAtScan.delete(f.path) || (!f.hashedAtScan && isUnchanged(f))) unchanged++;
      else {
        spool.add(f);
        toReadBytes += f.size;
      }
    });
    skipped = [...scanned.unreadable];

    const keepHash = needsHash(selection) ? compileSelection({ hashes: selection.hashes }) : null;
    // A .dat is selected by its own hash or by its picture's.
    const chosenByHash = (f: HashedFile) => keepHash!({ ...f, device }) || (f.picture !== undefined && keepHash!({ ...f, hash: f.picture.hash, device }));
    /** The 4.x tail keys of the run's accounts, learned as their files are read (see readAll). */
    const accountKeys = new AccountXorKeys();
    const planner = new ArchivePlanner(vault ? storedAmong(vault.db) : () => new Set(), device);
    const summary: ArchiveResult['plan'] = { newBytes: 0, newImages: 0, duplicates: 0, months: [] };
    const archives: WrittenArchive[] = [];
    // The reader threads write the zips and read them back (ReadPool is a MonthIo).
    // The run is in the log from its start, its counts those of its last catalogue commit, so a
    // run stopped midway (Ctrl-C, SIGKILL, an error) says what it stored (catalog/runs.ts).
    if (writes) runId = startRun(vault.db, { command: 'archive', device, startedAt, sources: scanned.sources, selection });
    if (writes) forgetEnding = onInterrupt(() => endRun('interrupted'));
    const writing = writes
      ? monthWriter(vault, pool, options, skipped, archives, (committed) => {
          planner.release(committed.stored);
          done.files += committed.files;
          done.bytes += committed.bytes;
          countRun(vault.db, runId, done);
        })
      : null;

    // Months in ascending order, each in slices (see MONTH_SLICE): later slices are read and
    // hashed while earlier ones' zips are written and flushed, so the disk's fsyncs overlap the
    // reading.
    progress.begin('phase.store', spool.size, toReadBytes);
    const sliceSize = options.monthSlice ?? MONTH_SLICE;
    const slices = (function* () {
      for (const month of spool.keys()) for (const files of spool.takeInChunks(month, sliceSize)) yield { month, files };
    })();
    // The next slice is queued to the reader threads before this one's hashes are awaited: with
    // none queued they would idle at each slice's end while the main thread plans and writes.
    const hashNext = () => {
      const next = slices.next();
      if (next.done) return null;
      const hashing = readAll(pool, next.value.files, progress, skipped, scanned.notImages, accountKeys);
      hashing.catch(() => undefined); // awaited in its turn; a run that stops early must not leave it unhandled
      return { month: next.value.month, hashing };
    };
    for (let following = hashNext(); following; ) {
      const { month, hashing } = following;
      following = hashNext();
      const hashed = await hashing;
      // Only a selection by hash picks among hashed files (a spread of each file cost as much as the rest).
      const chosen = keepHash ? hashed.filter(chosenByHash) : hashed;
      const plan = planner.planMonth(month, chosen);
      const newBytes = newBytesOf(plan);
      const counted = summary.months.at(-1);
      if (counted?.month === month) {
        counted.files += plan.locations.length;
        counted.newImages += plan.newImages.length;
        counted.newBytes += newBytes;
      } else summary.months.push({ month, files: plan.locations.length, newImages: plan.newImages.length, newBytes });
      summary.newImages += plan.newImages.length;
      summary.newBytes += newBytes;
      summary.duplicates += plan.locations.length - plan.newImages.length;
      await writing?.add(plan);
    }
    await writing?.finish();
    progress.end();
    archives.sort((a, b) => a.name.localeCompare(b.name));
    if (writes) endRun(skipped.length > 0 ? 'partial' : 'done');
    return {
      vault: vault?.dir ?? options.vault,
      device,
      dryRun,
      selected,
      unchanged,
      plan: summary,
      archives,
      skipped,
      recovery,
    };
  } finally {
    forgetEnding();
    if (runId !== 0 && !runEnded) endRun('interrupted');
    spool.close();
    await pool.close();
    await vault?.close();
  }
}

/**
 * Where archive inspects a plain folder's files at scan. The files it will read anyway are read
 * whole in the reader threads and hashed, their type and date from the same bytes: one open and
 * read a file, where a head at scan and the whole file at hashing cost a second of each
 * (docs/performance.md, fourteenth round). The others' heads only. Results in the files' order.
 */
function scanInspector(pool: ReadPool, readsWhole: (f: FoundFile) => boolean): (files: FoundFile[]) => Promise<HeadResult[]> {
  return async (files) => {
    const whole = files.map(readsWhole);
    const [read, heads] = await Promise.all([
      pool.inspectWhole(files.filter((_, i) => whole[i])),
      whole.every(Boolean) ? [] : pool.inspectAll(files.filter((_, i) => !whole[i])),
    ]);
    let r = 0;
    let h = 0;
    return whole.map((w) => (w ? read[r++] : heads[h++]));
  };
}

/**
 * Reads each new or changed file once, in the reader threads: the same bytes give its type (chat
 * layouts were not read at scan), its EXIF date, its hash and, for a WeChat .dat, the picture it
 * hides when proven. A file whose size moved while reading is changing under us: skipped and
 * reported.
 *
 * The 4.x tail keys the files' own end markers confirm are learned into `keys`, by account, here
 * on the main thread (each reader thread sees only its own batches). A 4.x picture that only its
 * account's key could prove is read once more when the run knows that key by the end of the
 * slice; when it still does not, the .dat is stored as it is (docs/wechat-dat.md).
 */
async function readAll(
  pool: ReadPool, files: ScannedFile[], progress: Progress, skipped: Skipped[], notImages: { path: string; size: number }[], keys: AccountXorKeys,
): Promise<HashedFile[]> {
  const task = (f: ScannedFile) => ({
    path: f.path, size: f.size, source: f.source, known: f.ext !== null, dat: f.ext === 'dat', accountXorKey: keys.get(f.account),
  });
  // A plain-folder file read whole at scan is not read again (see scanInspector).
  const atScan = files.filter((f) => f.hashedAtScan);
  const read = await pool.readAll(files.filter((f) => !f.hashedAtScan).map(task), (n, bytes) => progress.advance(n, bytes));
  if (atScan.length > 0) progress.advance(atScan.length, atScan.reduce((n, f) => n + f.size, 0));
  let next = 0;
  const results = files.map(({ hashedAtScan: at, ext, decodedExt, exifDate }): ReadResult => (at ? { ok: true, ...at, ext, decodedExt, exifDate } : read[next++]));
  files.forEach((f, i) => {
    const got = results[i];
    if (got.ok && got.tailKey !== undefined && f.account) keys.learn(f.account, got.tailKey);
  });
  const again = files.flatMap((f, i) => {
    const got = results[i];
    return got.ok && got.needsAccountKey && keys.get(f.account) !== undefined ? [i] : [];
  });
  if (again.length > 0) (await pool.readAll(again.map((i) => task(files[i])))).forEach((got, j) => (results[again[j]] = got));
  const out: HashedFile[] = [];
  files.forEach((f, i) => {
    const got = results[i];
    if (!got.ok) return void skipped.push({ path: f.path, reason: got.reason });
    if (got.size !== f.size) return void skipped.push({ path: f.path, reason: 'changed' });
    const ext = (f.ext ?? got.ext) as HashedFile['ext'] | null;
    if (!ext) return void notImages.push({ path: f.path, size: f.size });
    out.push({
      ...f, hash: got.hash, ext, decodedExt: f.ext ? f.decodedExt : (got.decodedExt as HashedFile['decodedExt']), exifDate: f.exifDate ?? got.exifDate,
      ...(got.picture && { picture: got.picture }),
    });
  });
  return out;
}
