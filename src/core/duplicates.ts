import type { Db } from '../catalog/db.js';
import { locationsOfHash, type LocationRow } from '../catalog/locations.js';

/**
 * Duplicate groups as the web page shows them: plain data, one tier per group, the copy that stays
 * first. The catalogue knows two tiers: one picture seen at several places is identical, or the
 * same picture when a WeChat .dat stored as it is among them (its file hash differs); dedupe (SPEC
 * "Duplicates") adds similar groups and the "not duplicates" marks, which come in here so the page
 * needs no change.
 */

export type DuplicateTier = 'identical' | 'same-picture' | 'similar';

export interface DuplicateMember {
  id: number;
  hash: string;
  size: number;
  device: string;
  source: string;
  kind: string;
  chat: string | null;
  path: string;
  taken: string;
  state: LocationRow['state'];
}

export interface DuplicateGroup {
  tier: DuplicateTier;
  /** The copy that stays first. */
  members: DuplicateMember[];
  /** The rule that chose the kept copy (a message key's last part: see web.ts `dup.why.*`). */
  keptBecause: 'original' | 'earliest' | 'shortest';
  /** Bytes the other copies take. */
  redundantBytes: number;
}

const KIND_RANK: Record<string, number> = { original: 0, sticker: 1, thumb: 2 };

/**
 * SPEC's keep rules, as far as they tell identical copies apart (their pixels and sizes are equal):
 * an original over a thumbnail, then the earliest date, then the shortest path.
 */
function keepFirst(members: DuplicateMember[]): DuplicateGroup['keptBecause'] {
  members.sort((a, b) => (KIND_RANK[a.kind] ?? 3) - (KIND_RANK[b.kind] ?? 3) || a.taken.localeCompare(b.taken) || a.path.length - b.path.length || a.id - b.id);
  const [kept, next] = members;
  if ((KIND_RANK[kept.kind] ?? 3) !== (KIND_RANK[next.kind] ?? 3)) return 'original';
  return kept.taken !== next.taken ? 'earliest' : 'shortest';
}

const member = (r: LocationRow): DuplicateMember => ({
  id: r.id, hash: r.hash, size: r.size, device: r.device, source: r.source, kind: r.kind, chat: r.chat ?? null, path: r.path, taken: r.taken, state: r.state,
});

/** The pictures seen at more than one place, the most space held by their other copies first. */
export type Repeated = { hash: string; places: number; size: number }[];

export const byRedundantBytes = (repeated: Repeated): Repeated =>
  [...repeated].sort((a, b) => (b.places - 1) * b.size - (a.places - 1) * a.size || (a.hash < b.hash ? -1 : 1));

/** A page of duplicate groups from the ordered list of repeated pictures, and how many there are. */
export function duplicateGroups(db: Db, repeated: Repeated, offset: number, limit: number): { total: number; groups: DuplicateGroup[] } {
  const groups = repeated.slice(offset, offset + limit).map(({ hash }): DuplicateGroup => {
    const rows = locationsOfHash(db, hash);
    const members = rows.map(member);
    const keptBecause = keepFirst(members);
    // One picture at several places: identical files, unless a WeChat .dat stored as the picture is among them (SPEC "Picture identity").
    const tier = new Set(rows.map((r) => r.fileHash ?? r.hash)).size === 1 ? 'identical' : 'same-picture';
    return { tier, members, keptBecause, redundantBytes: members.slice(1).reduce((s, m) => s + m.size, 0) };
  });
  return { total: repeated.length, groups };
}
