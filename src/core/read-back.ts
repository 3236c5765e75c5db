import { CHECK, markDamaged } from '../catalog/archives.js';
import type { Db } from '../catalog/db.js';
import { storedEntryOf } from '../catalog/images.js';
import type { EntriesCheck, WantedEntry } from '../vault/check-zip.js';
import { rebuildKey, type Rebuild } from '../media/picture-identity.js';
import { absArchivePath } from '../vault/layout.js';
import { groupBy } from '../engine/group.js';

/** good: read back and hashed right; damaged: it did not; moved: the catalogue no longer stores it where the plan said. */
export type StoredCopy = 'good' | 'damaged' | 'moved';

export interface ReadBackTotals {
  /** Distinct pictures read back. */
  pictures: number;
  /** Their bytes read from the zips. */
  bytes: number;
  /** Of them, how many did not read back right. */
  damaged: number;
}

/** The reader threads' side (ReadPool.readBack). */
export interface EntryReader {
  readBack(zip: string, entries: WantedEntry[]): Promise<EntriesCheck>;
}

/** What a deletion needs proven of its picture: where it is stored, and (a .dat stored as its picture) the file to rebuild from it. */
export interface ReadBackNeed {
  hash: string;
  archive: string;
  rebuild?: Rebuild;
}

/**
 * Each picture's stored bytes read back from its zip and re-hashed, once per picture in a run,
 * before any place of it is deleted (SPEC invariant 1: a drive can rot after archiving, and a
 * check made then proves nothing now). The reads run in the reader threads, one job per zip for
 * the pictures a chunk of deletions needs. A picture that does not read back right marks its zip
 * damaged at once (a data-strength mark: only a check that re-reads every image, or repair,
 * clears it), so no later place stored there is deleted either.
 *
 * A .dat stored as its picture (SPEC "Picture identity") may go only once its file is rebuilt
 * from the bytes read back and hashes to its file hash: proven from the same read, once per
 * (picture, recipe, file) in a run. A rebuild first asked for after its picture was read back
 * reads the picture again.
 */
export class PictureReadBack {
  readonly totals: ReadBackTotals = { pictures: 0, bytes: 0, damaged: 0 };
  private readonly verdicts = new Map<string, StoredCopy>();
  /** Per rebuildKey: proven or not. */
  private readonly rebuilt = new Map<string, boolean>();
  /** Reads in flight, by picture hash and by rebuildKey. */
  private readonly pending = new Map<string, Promise<void>>();
  private readonly stored: ReturnType<typeof storedEntryOf>;
  /** What each zip was found to hold wrong, for its mark. */
  private readonly damage = new Map<string, string[]>();

  constructor(private readonly db: Db, private readonly vaultDir: string, private readonly reader: EntryReader) {
    this.stored = storedEntryOf(db);
  }

  /** What became of a picture's read-back; ensure() it first. */
  verdict(hash: string): StoredCopy | undefined {
    return this.verdicts.get(hash);
  }

  /** Whether a place's file was rebuilt from its picture's stored bytes and proven; ensure() it first. */
  rebuiltRight(hash: string, rebuild: Rebuild): boolean {
    return this.rebuilt.get(rebuildKey(hash, rebuild)) === true;
  }

  /** Reads back every picture (and proves every rebuild) of these not done yet in this run; resolves once all are known. */
  async ensure(needs: ReadBackNeed[]): Promise<void> {
    const fresh = new Map<string, WantedEntry & { archive: string; readBack: boolean; keys: Set<string> }>();
    const waits: Promise<void>[] = [];
    for (const { hash, archive, rebuild } of needs) {
      const key = rebuild && rebuildKey(hash, rebuild);
      const readBack = !this.verdicts.has(hash) && !this.pending.has(hash);
      const prove = key !== undefined && !this.rebuilt.has(key) && !this.pending.has(key) && this.verdicts.get(hash) !== 'damaged';
      for (const k of [hash, key]) if (k !== undefined && this.pending.has(k)) waits.push(this.pending.get(k)!);
      if (!readBack && !prove) continue;
      let wanted = fresh.get(hash);
      if (!wanted) {
        const at = this.stored(hash);
        if (at?.archive !== archive) {
          this.verdicts.set(hash, 'moved');
          continue;
        }
        fresh.set(hash, (wanted = { name: at.entry, hash, size: at.size, archive, readBack, rebuilds: [], keys: new Set() }));
      }
      if (prove && !wanted.keys.has(key)) {
        wanted.keys.add(key);
        wanted.rebuilds!.push(rebuild!);
      }
    }
    for (const [archive, entries] of groupBy(fresh.values(), (e) => e.archive)) {
      const job = this.reader.readBack(absArchivePath(this.vaultDir, archive), entries.map(({ name, hash, size, rebuilds }) => ({ name, hash, size, rebuilds })))
        .then((r) => this.settle(archive, entries, r));
      for (const e of entries) {
        if (e.readBack) this.pending.set(e.hash, job);
        for (const k of e.keys) this.pending.set(k, job);
      }
      waits.push(job);
    }
    await Promise.all(waits);
  }

  private settle(archive: string, entries: (WantedEntry & { readBack: boolean; keys: Set<string> })[], check: EntriesCheck): void {
    const bad = new Set(check.bad);
    const notRebuilt = new Set(check.notRebuilt);
    this.totals.bytes += check.bytes;
    for (const e of entries) {
      this.pending.delete(e.hash);
      for (const k of e.keys) {
        this.pending.delete(k);
        this.rebuilt.set(k, !bad.has(e.name) && !notRebuilt.has(k));
      }
      if (!e.readBack && !bad.has(e.name)) continue;
      if (e.readBack) this.totals.pictures++;
      this.verdicts.set(e.hash, bad.has(e.name) ? 'damaged' : 'good');
    }
    const badHere = entries.filter((e) => bad.has(e.name));
    if (badHere.length === 0) return;
    this.totals.damaged += badHere.length;
    const said = this.damage.get(archive) ?? [];
    said.push(check.failure ?? `entry ${badHere.map((e) => e.name).join(', ')} did not read back right (clean's read-back)`);
    this.damage.set(archive, said);
    markDamaged(this.db, archive, said.join('; '), CHECK.data);
  }
}
