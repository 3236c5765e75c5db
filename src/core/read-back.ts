import { CHECK, markDamaged } from '../catalog/archives.js';
import type { Db } from '../catalog/db.js';
import { storedEntryOf } from '../catalog/images.js';
import type { EntriesCheck, WantedEntry } from '../vault/check-zip.js';
import { absArchivePath } from '../vault/layout.js';
import { groupBy } from './group.js';

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

/**
 * Each picture's stored bytes read back from its zip and re-hashed, once per picture in a run,
 * before any place of it is deleted (SPEC invariant 1: a drive can rot after archiving, and a
 * check made then proves nothing now). The reads run in the reader threads, one job per zip for
 * the pictures a chunk of deletions needs. A picture that does not read back right marks its zip
 * damaged at once (a data-strength mark: only a check that re-reads every image, or repair,
 * clears it), so no later place stored there is deleted either.
 */
export class PictureReadBack {
  readonly totals: ReadBackTotals = { pictures: 0, bytes: 0, damaged: 0 };
  private readonly verdicts = new Map<string, StoredCopy>();
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

  /** Reads back every picture of these not read back yet in this run, stored where given; resolves once all are known. */
  async ensure(pictures: { hash: string; archive: string }[]): Promise<void> {
    const fresh = new Map<string, WantedEntry & { archive: string }>();
    const waits: Promise<void>[] = [];
    for (const { hash, archive } of pictures) {
      if (this.verdicts.has(hash) || fresh.has(hash)) continue;
      const pending = this.pending.get(hash);
      if (pending) {
        waits.push(pending);
        continue;
      }
      const at = this.stored(hash);
      if (at?.archive !== archive) {
        this.verdicts.set(hash, 'moved');
        continue;
      }
      fresh.set(hash, { name: at.entry, hash, size: at.size, archive });
    }
    for (const [archive, entries] of groupBy(fresh.values(), (e) => e.archive)) {
      const job = this.reader.readBack(absArchivePath(this.vaultDir, archive), entries).then((r) => this.settle(archive, entries, r));
      for (const e of entries) this.pending.set(e.hash, job);
      waits.push(job);
    }
    await Promise.all(waits);
  }

  private settle(archive: string, entries: WantedEntry[], check: EntriesCheck): void {
    const bad = new Set(check.bad);
    this.totals.pictures += entries.length;
    this.totals.bytes += check.bytes;
    for (const e of entries) {
      this.pending.delete(e.hash);
      this.verdicts.set(e.hash, bad.has(e.name) ? 'damaged' : 'good');
    }
    if (bad.size === 0) return;
    this.totals.damaged += bad.size;
    const said = this.damage.get(archive) ?? [];
    said.push(check.failure ?? `entry ${[...bad].join(', ')} did not read back right (clean's read-back)`);
    this.damage.set(archive, said);
    markDamaged(this.db, archive, said.join('; '), CHECK.data);
  }
}
