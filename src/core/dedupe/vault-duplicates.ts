import { catalogueVersion, duplicateScopeKey, placeById, placesOfCopy, type CopyPlace } from '../../catalog/browse.js';
import type { Vault } from '../../vault/vault.js';
import { gatherDuplicates, type DedupeReport, type DuplicateGroup, type DuplicateMember, type DuplicateScope, type KeptBecause, type Tier } from '../dedupe.js';
import { chooseKept, keepOrder } from './keep.js';
import { listedMarks, readMarks, type CopyRef } from './marks.js';
import { SIMILAR_DEFAULT } from './similar-index.js';

/**
 * The duplicates a vault holds, as the web page shows them: dedupe's own groups (findDuplicates
 * with the vault and no source: every device's pictures, each device's copy standing for its
 * places there), the similar tier from the looks the catalogue already has (decoding a vault's
 * every picture is `dedupe --similar`'s work, not a page's).
 *
 * Reading the scope costs a second or two at 300 000 places; grouping it again under new marks
 * about a tenth of that. So the scope is kept until places, pictures, zips, looks or runs change
 * (catalog/browse.ts duplicateScopeKey), and the groups until the catalogue changes at all
 * (SQLite's data_version: a mark set from the page is written by core/dedupe/marks.ts's own
 * connection, under the vault's lock, and seen here as a change).
 */

export type { CopyPlace } from '../../catalog/browse.js';

/** A copy as the page lists it: dedupe's member, with its first places on its device. */
export interface CopyView extends DuplicateMember {
  shown: CopyPlace[];
  /** Its places not shown. */
  more: number;
}

export interface GroupView extends Omit<DuplicateGroup, 'members'> {
  /** The kept copy first, its kept place first. */
  members: CopyView[];
}

export interface DuplicatesPage {
  report: DedupeReport;
  tier: Tier;
  offset: number;
  /** Groups of this tier. */
  total: number;
  groups: GroupView[];
}

/** Places listed per copy; the picture's page lists them all. */
const PLACES_SHOWN = 4;

export class VaultDuplicates {
  private scope: { key: string; gathering: Promise<DuplicateScope> } | null = null;
  private grouped: { version: number; report: DedupeReport } | null = null;

  constructor(private readonly vault: Vault) {}

  /** Every group, under the marks the vault holds now. */
  async report(): Promise<DedupeReport> {
    const db = this.vault.db;
    const version = catalogueVersion(db);
    if (this.grouped?.version === version) return this.grouped.report;
    const key = duplicateScopeKey(db);
    if (this.scope?.key !== key) {
      const gathering = gatherDuplicates({ sources: [], vault: this.vault.dir, similar: SIMILAR_DEFAULT, knownLooksOnly: true });
      this.scope = { key, gathering };
      // A failed read is not kept: the next request tries again.
      gathering.catch(() => {
        if (this.scope?.gathering === gathering) this.scope = null;
      });
    }
    const report = (await this.scope.gathering).report(readMarks(db));
    this.grouped = { version, report };
    return report;
  }

  /** A page of one tier's groups, each copy with its first places (the kept one first). */
  async page(tier: Tier, offset: number, limit: number): Promise<DuplicatesPage> {
    const report = await this.report();
    const ofTier = report.groups.filter((g) => g.tier === tier);
    return { report, tier, offset, total: ofTier.length, groups: ofTier.slice(offset, offset + limit).map((g) => this.withPlaces(g)) };
  }

  /**
   * A group with each copy's places. A copy stands for all its places on its device; the kept
   * copy's kept place is the one the keep rules choose among them (or the one marked to keep).
   */
  private withPlaces(g: DuplicateGroup): GroupView {
    const members = g.members.map((m): CopyView => {
      const found = placesOfCopy(this.vault.db, { hash: m.hash, picture: m.picture, device: m.device! }, PLACES_SHOWN + 1);
      return { ...m, shown: found.slice(0, PLACES_SHOWN), more: Math.max(0, (m.places ?? 1) - PLACES_SHOWN) };
    });
    const [kept] = members;
    let why: KeptBecause = g.why;
    if (kept.shown.length > 0) {
      const chosen = chooseKept(kept.shown.map((p) => ({ where: 'vault', kind: p.kind as DuplicateMember['kind'], pixels: 0, size: p.size, taken: p.taken, path: p.path, marked: p.marked })), keepOrder());
      kept.shown.unshift(...kept.shown.splice(chosen.kept, 1));
      // One copy: the group is its places, and the rule that chose among them is the group's.
      if (members.length === 1) why = chosen.why;
    }
    return { ...g, why, members };
  }

  /**
   * What "keep this copy" on a place names: the copy (picture, device, path) and the pictures of
   * its group, whose other marks it replaces; null when no group holds that place's copy.
   */
  async keepTarget(placeId: number, picture: string): Promise<{ copy: CopyRef; groupPictures: string[] } | null> {
    const place = placeById(this.vault.db, placeId);
    if (!place) return null;
    const group = (await this.report()).groups.find((g) => g.members.some((m) => m.picture === picture && m.hash === place.file && m.device === place.device));
    if (!group) return null;
    return { copy: { picture, device: place.device, path: place.path }, groupPictures: [...new Set(group.members.map((m) => m.picture))] };
  }

  /** Whether two pictures are in one group now: what "not duplicates" may be said of. */
  async together(a: string, b: string): Promise<boolean> {
    return (await this.report()).groups.some((g) => g.members.some((m) => m.picture === a) && g.members.some((m) => m.picture === b));
  }

  /** The marks set so far, each with its undo on the page. */
  marks(): ReturnType<typeof listedMarks> {
    return listedMarks(this.vault.db);
  }
}
