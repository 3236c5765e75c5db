import type { Db } from '../../catalog/db.js';
import { catalogedFile, knownDatPictures, knownLooks, saveDatPictures, saveLooks, type DatPicture } from '../../catalog/pictures.js';
import type { PerceptualHash } from '../../media/perceptual.js';
import { absArchivePath } from '../../vault/layout.js';
import type { StoredEntry } from '../../vault/stored-entry.js';
import { ZipReader } from '../../vault/zip-reader.js';
import type { PlaceTable } from './places.js';
import type { StoredAt } from './scope.js';
import type { PicturePool } from '../../engine/picture-pool.js';
import type { PictureResult } from '../../engine/picture-worker.js';
import { silentProgress, type Progress } from '../progress.js';
import type { Skipped } from '../scan.js';

export interface ExamineOptions {
  pool: PicturePool;
  /** The vault's catalogue, if any: what it knows is not read again, and what is learned is kept there. */
  db: Db | null;
  vaultDir: string | null;
  device: string;
  /**
   * How every picture looks (the similar tier): computed where the catalogue does not know it
   * ('compute'), or only what it knows ('known': nothing is decoded); false: not asked.
   */
  looks: false | 'compute' | 'known';
  progress?: Progress;
}

/** Hashes asked of the catalogue at once. */
const QUERY_CHUNK = 500;

/**
 * Reads what dedupe needs to know of each copy's bytes, and no more (docs/dedupe.md), starting
 * while the walk still finds them (`found`), so the threads read from the first file on:
 * 1. what the catalogue knows is not read: a file this device archived, unchanged since, and the
 *    picture a stored .dat shows, once learned;
 * 2. a file is read once its size is another copy's size: a file of a size no other picture has
 *    can have no duplicate, and is never read (as jdupes and rdfind do). A .dat on disk stands
 *    for two sizes, its own and its picture's, which its first bytes tell (media/dat.ts
 *    `datPictureSize`): those are read first, and the rest of it only when either size is
 *    another copy's. `finish` reads what the vault's .dat pictures, decoded, add;
 * 3. with `looks`, every copy not read yet, and one copy of each picture whose looks the
 *    catalogue does not know, decoded (unless only known looks are asked for).
 *
 * A vault copy's zip is opened only when its bytes must be read: looking at the vault alone, with
 * every picture known, no zip is opened at all.
 */
export class CopyExaminer {
  private readonly unreadable: Skipped[] = [];
  private readonly failed = new Set<number>();
  private readonly learnedDat = new Map<string, DatPicture>();
  /** The first copy of each size seen, until a second comes: -1 once both are queued. */
  private readonly firstOfSize = new Map<number, number>();
  /** .dat copies whose first bytes are asked for, not yet told. */
  private readonly heading = new Set<number>();
  /** .dat copies queued to be read whole: a .dat stands for two sizes, and either may queue it. */
  private readonly datQueued = new Set<number>();
  private readonly cataloged: ReturnType<typeof catalogedFile> | null;
  /** Catalogued .dat copies whose picture may be remembered: asked in one batch in finish. */
  private readonly datToRecall: number[] = [];
  private readonly entries = new Map<number, StoredEntry>();
  private looksWanted = false;
  private counting = false;
  private readonly looks = new Map<string, PerceptualHash | null>();
  private readonly progress: Progress;
  private readonly queue;

  constructor(private readonly table: PlaceTable, private readonly stored: StoredAt, private readonly options: ExamineOptions) {
    this.progress = options.progress ?? silentProgress;
    this.cataloged = options.db ? catalogedFile(options.db, options.device) : null;
    this.queue = options.pool.queue(
      (row) => {
        const t = this.table;
        if (t.where(row) !== 'vault') return { from: { path: t.paths[row] }, size: t.sizeOf(row), dat: t.isDat(row), looks: this.looksWanted, head: this.heading.has(row) };
        const entry = this.entries.get(row);
        return entry ? { from: { entry }, size: t.sizeOf(row), dat: t.isDat(row), looks: this.looksWanted, expect: this.stored.get(row)!.hash } : null;
      },
      (row, r) => this.settle(row, r),
      // Reads during the walk are counted once the walk's own count is done.
      (n, bytes) => this.counting && this.progress.advance(n, bytes),
    );
  }

  private settle(row: number, r: PictureResult): void {
    if (!r.ok) {
      this.failed.add(row);
      this.unreadable.push({ path: this.table.paths[row], reason: r.reason });
      return;
    }
    if ('head' in r) {
      this.heading.delete(row);
      this.table.presumePictureSize(row, r.pictureSize);
      return this.sizedDat(row);
    }
    this.table.learn(row, r.hash, r.picture, r.pictureSize, r.ext);
    if (this.table.where(row) === 'vault' && this.table.isDat(row)) this.learnedDat.set(r.hash, { picture: r.picture, pictureSize: r.pictureSize });
    if (r.looks !== undefined) this.looks.set(r.picture, r.looks);
  }

  private unread(row: number): boolean {
    return (this.table.hash[row] === undefined || this.table.picture[row] === undefined) && !this.failed.has(row);
  }

  /** A copy the walk (or the vault) just gave: what the catalogue knows, and whether to read it now. */
  found(row: number): void {
    const t = this.table;
    const dat = t.isDat(row);
    if (t.where(row) === 'vault') {
      if (dat) this.datToRecall.push(row);
      return this.sized(row, t.sizeOf(row), false);
    }
    const known = t.where(row) === 'source' ? this.cataloged?.(t.paths[row]) : undefined;
    const unchanged = known !== undefined && known.size === t.sizeOf(row) && known.mtimeMs === t.mtimeOf(row);
    if (!dat) {
      if (unchanged) t.learn(row, known.hash, known.hash, known.size, known.ext);
      return this.sized(row, t.sizeOf(row), !unchanged);
    }
    // A .dat stored as its picture: the catalogue knows both (SPEC "Picture identity").
    if (!unchanged) {
      this.heading.add(row);
      return this.queue.push(row);
    }
    if (known.picture !== null) t.learn(row, known.hash, known.picture, known.pictureSize!, known.decodedExt ?? 'dat');
    else {
      t.hash[row] = known.hash;
      this.datToRecall.push(row);
    }
    this.sized(row, t.sizeOf(row), false);
  }

  /** A .dat on disk, its picture's size presumed: counted under both its sizes, read whole when either is another copy's. */
  private sizedDat(row: number): void {
    const t = this.table;
    for (const size of new Set([t.sizeOf(row), t.pictureSizeOf(row)])) this.sized(row, size, true);
  }

  /** Counts a size; queues the plain copies that share it, the first one too once a second comes. */
  private sized(row: number, size: number, read: boolean): void {
    const first = this.firstOfSize.get(size);
    if (first === undefined) {
      this.firstOfSize.set(size, read ? row : -2);
      return;
    }
    if (first >= 0) this.readWhole(first);
    if (first !== -1) this.firstOfSize.set(size, -1);
    if (read) this.readWhole(row);
  }

  private readWhole(row: number): void {
    if (this.table.isDat(row)) {
      if (this.datQueued.has(row)) return;
      this.datQueued.add(row);
    }
    this.queue.push(row);
  }

  /** Reads what is left to read (see the class), and gives every picture's looks when asked. */
  async finish(): Promise<{ looks: Map<string, PerceptualHash | null>; unreadable: Skipped[] }> {
    const { db } = this.options;
    const t = this.table;
    this.progress.begin('phase.dedupe', 0);
    this.counting = true;
    if (db) this.recallDatPictures(db);
    const storedDat: number[] = [];
    for (let row = 0; row < t.length; row++) if (t.where(row) === 'vault' && t.isDat(row) && this.unread(row)) storedDat.push(row);
    await this.readStored(storedDat);
    await this.queue.drain();
    // The pictures now known: a stored 4.x .dat's is smaller than the file, and a copy not read yet
    // may be of that size.
    const sizesOf = (row: number): number[] => {
      if (!this.unread(row)) return [t.pictureSizeOf(row)];
      return t.isDat(row) ? [...new Set([t.sizeOf(row), t.pictureSizeOf(row)])] : [t.sizeOf(row)];
    };
    const sizes = new Map<number, number>();
    for (let row = 0; row < t.length; row++) for (const size of sizesOf(row)) if (size >= 0) sizes.set(size, (sizes.get(size) ?? 0) + 1);
    for (let row = 0; row < t.length; row++) if (this.unread(row) && sizesOf(row).some((size) => sizes.get(size)! > 1)) this.queue.push(row);
    await this.queue.drain();
    // Sizes are settled: what they queued is read; at 300 000 copies these hold a few MB.
    this.firstOfSize.clear();
    this.datQueued.clear();
    if (this.options.looks) await this.readLooks(db);
    this.progress.end();
    if (db) keep(() => saveDatPictures(db, this.learnedDat));
    return { looks: this.looks, unreadable: this.unreadable };
  }

  /**
   * Every copy not read yet is hashed, then one copy of each picture whose looks the catalogue
   * does not know is decoded: a picture is known by its hash, so a second run decodes nothing.
   */
  private async readLooks(db: Db | null): Promise<void> {
    const t = this.table;
    for (let row = 0; row < t.length; row++) if (this.unread(row)) this.queue.push(row);
    await this.queue.drain();
    this.looksWanted = true;
    const pictures = new Map<string, number>();
    for (let row = 0; row < t.length; row++) {
      const p = t.picture[row];
      // A copy on disk is read rather than one in a zip.
      if (p !== undefined && !this.looks.has(p) && t.ext[row] !== null && (!pictures.has(p) || t.where(pictures.get(p)!) === 'vault')) pictures.set(p, row);
    }
    if (db) for (const chunk of chunks([...pictures.keys()], QUERY_CHUNK)) for (const [p, l] of knownLooks(db, chunk)) this.looks.set(p, l);
    if (this.options.looks === 'known') return;
    const before = new Set(this.looks.keys());
    const decode = [...pictures].filter(([p]) => !this.looks.has(p)).map(([, row]) => row);
    await this.readStored(decode.filter((row) => t.where(row) === 'vault'));
    for (const row of decode) if (t.where(row) !== 'vault') this.queue.push(row);
    await this.queue.drain();
    if (db) keep(() => saveLooks(db, [...this.looks].filter((e): e is [string, PerceptualHash] => e[1] !== null && !before.has(e[0]))));
  }

  /** Queues vault copies to read, once their zips say where their bytes are. */
  private async readStored(rows: number[]): Promise<void> {
    const wanted = rows.filter((row) => !this.entries.has(row));
    for (const [row, entry] of await storedEntries(this.options.vaultDir, this.stored, wanted)) this.entries.set(row, entry);
    for (const row of rows) this.queue.push(row);
  }

  /** The pictures of catalogued .dat copies learned before: those need no reading. */
  private recallDatPictures(db: Db): void {
    const t = this.table;
    const byHash = new Map<string, number[]>();
    for (const row of this.datToRecall) {
      const hash = t.hash[row] ?? this.stored.get(row)?.hash;
      if (hash !== undefined) byHash.set(hash, [...(byHash.get(hash) ?? []), row]);
    }
    const recalled = new Set<number>();
    for (const chunk of chunks([...byHash.keys()], QUERY_CHUNK)) {
      for (const [hash, p] of knownDatPictures(db, chunk)) {
        for (const row of byHash.get(hash)!) {
          t.learn(row, hash, p.picture, p.pictureSize, 'dat');
          recalled.add(row);
        }
      }
    }
    // A catalogued .dat whose picture is not remembered is read like any other.
    for (const row of this.datToRecall) if (!recalled.has(row) && t.where(row) !== 'vault') this.queue.push(row);
  }
}

/** Where these vault copies' bytes are in their zips: each zip's directory read once. */
async function storedEntries(vaultDir: string | null, stored: StoredAt, rows: number[]): Promise<Map<number, StoredEntry>> {
  const byRow = new Map<number, StoredEntry>();
  if (!vaultDir) return byRow;
  const byArchive = new Map<string, number[]>();
  for (const row of rows) {
    const at = stored.get(row);
    if (at) byArchive.set(at.archive, [...(byArchive.get(at.archive) ?? []), row]);
  }
  for (const [archive, rows] of byArchive) {
    const zip = absArchivePath(vaultDir, archive);
    const reader = await ZipReader.open(zip).catch(() => null);
    if (!reader) continue;
    for (const row of rows) {
      const e = reader.entries.get(stored.get(row)!.entry);
      // Images are stored; an entry some other tool deflated is left out here (verify says so).
      if (e && e.method === 0) byRow.set(row, { zip, headerOffset: e.headerOffset, size: e.compressedSize });
    }
    await reader.close();
  }
  return byRow;
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** What dedupe learns is kept when the catalogue takes it; a read-only vault simply learns it again. */
function keep(save: () => void): void {
  try {
    save();
  } catch {
    // read-only catalogue, or another run holding it: the cache is only a saving
  }
}
