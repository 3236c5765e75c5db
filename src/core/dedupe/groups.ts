import { hammingHex } from '../../media/hamming.js';
import type { PerceptualHash } from '../../media/perceptual.js';
import { chooseKept, type KeepRule, type KeptBecause, type KeptCopies } from './keep.js';
import type { PlaceFacts, PlaceTable } from './places.js';
import { SimilarIndex, type SimilarPair } from './similar-index.js';

/** The three tiers, always reported apart (SPEC "Duplicates"). */
export type Tier = 'identical' | 'same-picture' | 'similar';
export const TIERS: readonly Tier[] = ['identical', 'same-picture', 'similar'];

/** One copy in a group, as plain data (the CLI, `--json` and the web page show these). */
export interface DuplicateMember extends Omit<PlaceFacts, 'dat' | 'mtimeMs'> {
  /** xxh64 of the file's bytes, and of the picture it shows (a .dat's decoded image). */
  hash: string;
  picture: string;
  /** The picture's type (jpg, png, …; dat for a .dat that could not be decoded), and its size (a .dat's decoded size). */
  type: string;
  pictureSize: number;
  width?: number;
  height?: number;
  /** How it matches the kept copy: `kept` for the kept copy itself. */
  match: 'kept' | Tier;
  /** For a similar copy: differing bits of its pHash and the kept copy's (of 256). */
  distance?: number;
  /** The user marked it "keep this copy" (core/dedupe/marks.ts): it is never removed. */
  marked: boolean;
  /** `--clean` would remove it: a copy in a source that is neither the kept one nor marked to keep. */
  removable: boolean;
}

export interface DuplicateGroup {
  tier: Tier;
  /** The keep rule (or the user's mark) that chose the first member over the next best. */
  why: KeptBecause;
  /** The kept copy first, then the others by path. */
  members: DuplicateMember[];
  /**
   * Bytes `--clean` would free: the removable members' sizes. Looking at the vault alone (no
   * source), what would go if only the kept copy stayed: every place still holding a copy (not
   * cleaned) but the kept one.
   */
  bytes: number;
  /** The copies those bytes are: what the group's tier total adds up (DedupeReport.tiers). */
  going: number;
}

export interface GroupOptions {
  keep: readonly KeepRule[];
  /** Looks of every picture, and the pHash distance that makes two similar; null: no similar tier. */
  similar: { looks: Map<string, PerceptualHash | null>; threshold: number } | null;
  /** "Not duplicates": picture pairs as `a:b` with a < b. */
  notDuplicates: ReadonlySet<string>;
  /** Copies marked "keep this copy". */
  kept: KeptCopies;
  /** This device: whose copies on disk (sources, reference folders) the keep marks name by path. */
  device: string;
  /** With no source named, the vault is looked at alone: a group needs no copy in a source. */
  vaultOnly: boolean;
}

/**
 * The copies of a member that would go (see DuplicateGroup.bytes): itself when removable; looking
 * at the vault alone, its places still holding it, less the kept one.
 */
export const goingCopies = (m: DuplicateMember, vaultOnly: boolean): number =>
  vaultOnly ? Math.max(0, (m.present ?? 1) - (m.match === 'kept' ? 1 : 0)) : Number(m.removable);

/**
 * The groups (SPEC "Duplicates"): copies showing one picture form a group (identical when every
 * copy has the same bytes, same picture otherwise); with the similar tier, pictures within the
 * threshold are joined into one group, closest pairs first, never joining two pictures marked
 * "not duplicates". A group matters when something in it could go: a copy in a source besides
 * the one that stays (or, looking at the vault alone, a picture at two places or more).
 */
export function buildGroups(table: PlaceTable, options: GroupOptions, prepared = preparedGroups(table, options.similar)): { groups: DuplicateGroup[]; marksHonoured: number } {
  const { byPicture, pictures } = prepared;
  const { clusters, marksHonoured } = prepared.pairs ? similarClusters(pictures, prepared.pairs, options.notDuplicates) : { clusters: pictures.map((p) => [p]), marksHonoured: 0 };
  const groups: DuplicateGroup[] = [];
  for (const cluster of clusters) {
    const rows = cluster.flatMap((p) => byPicture.get(p)!);
    // The vault alone: a vault copy stands for all its places on one device.
    if (options.vaultOnly ? rows.reduce((n, r) => n + table.placesOf(r), 0) < 2 : rows.length < 2) continue;
    if (!options.vaultOnly && !rows.some((r) => table.where(r) === 'source')) continue;
    const group = describe(table, rows, options);
    if (options.vaultOnly || group.members.some((m) => m.removable)) groups.push(group);
  }
  const rank = (g: DuplicateGroup) => (g.tier === 'identical' ? 0 : g.tier === 'same-picture' ? 1 : 2);
  groups.sort((a, b) => rank(a) - rank(b) || b.bytes - a.bytes || b.members.length - a.members.length || (a.members[0].path < b.members[0].path ? -1 : 1));
  return { groups, marksHonoured };
}

/**
 * Each group's number as the text shows it: its place within its tier (1, 2, … per tier, in the
 * report's order). The sheet and the web page number by this too, so "#1 same picture" is one group.
 */
export function groupNumbers(groups: readonly DuplicateGroup[]): Map<DuplicateGroup, number> {
  const next: Record<Tier, number> = { identical: 0, 'same-picture': 0, similar: 0 };
  return new Map(groups.map((g) => [g, ++next[g.tier]]));
}

function describe(table: PlaceTable, rows: number[], options: GroupOptions): DuplicateGroup {
  const looksOf = (row: number) => options.similar?.looks.get(table.picture[row]!) ?? null;
  // One object of one shape per copy, made field by field: at 300 000 copies, spreads of the
  // table's facts made objects three times the size (docs/decisions.md, columns).
  const members = rows.map((row): DuplicateMember => {
    const f = table.facts(row);
    const looks = looksOf(row);
    return {
      where: f.where, path: f.path, root: f.root, source: f.source, kind: f.kind, account: f.account, chat: f.chat, size: f.size,
      taken: f.taken, month: f.month, device: f.device, places: f.places, present: f.present, hash: table.hash[row]!, picture: table.picture[row]!,
      type: table.ext[row] ?? 'bin', pictureSize: table.pictureSizeOf(row), width: looks?.width, height: looks?.height,
      match: 'kept', distance: undefined, marked: false, removable: false,
    };
  });
  // Another device's copy stands for all its places there; a copy on disk is marked by its path.
  // With sources, this device's vault copies are those it cleaned (scope.ts): never kept over its disk.
  const cleanedHere = (m: DuplicateMember) => !options.vaultOnly && m.where === 'vault' && m.device === options.device;
  for (const m of members) m.marked = cleanedHere(m) ? false : m.where === 'vault' ? options.kept.has(m.picture, m.device!) : options.kept.has(m.picture, options.device, m.path);
  const { kept, why } = chooseKept(
    members.map((m) => ({ where: m.where, kind: m.kind, size: m.pictureSize, pixels: (m.width ?? 0) * (m.height ?? 0), taken: m.taken, path: m.path, marked: m.marked, cleanedHere: cleanedHere(m) })),
    options.keep,
  );
  const keptMember = members[kept];
  const keptLooks = looksOf(rows[kept]);
  for (const [i, m] of members.entries()) {
    if (i === kept) continue;
    m.removable = m.where === 'source' && !m.marked;
    if (m.hash === keptMember.hash) m.match = 'identical';
    else if (m.picture === keptMember.picture) m.match = 'same-picture';
    else {
      m.match = 'similar';
      const looks = looksOf(rows[i]);
      if (looks && keptLooks) m.distance = hammingHex(looks.phash, keptLooks.phash);
    }
  }
  const others = members.filter((_, i) => i !== kept).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const tier: Tier = others.some((m) => m.match === 'similar') ? 'similar' : others.some((m) => m.match === 'same-picture') ? 'same-picture' : 'identical';
  const all = [keptMember, ...others];
  let going = 0;
  let bytes = 0;
  for (const m of all) {
    const n = goingCopies(m, options.vaultOnly);
    going += n;
    bytes += n * m.size;
  }
  return { tier, why, members: all, bytes, going };
}

/**
 * What grouping reads of the table that no mark changes: each picture's copies, and with the
 * similar tier the pairs of pictures within the threshold (indices into `pictures`), closest
 * first. Flat pictures and those sharp could not decode are in no pair. Finding the pairs is most
 * of the grouping's cost (about 180 ms for 15 000 pictures): the web page makes this once and
 * groups again under new marks.
 */
export interface PreparedGroups {
  byPicture: Map<string, number[]>;
  pictures: string[];
  pairs: SimilarPair[] | null;
}

export function preparedGroups(table: PlaceTable, similar: GroupOptions['similar']): PreparedGroups {
  const byPicture = new Map<string, number[]>();
  for (let row = 0; row < table.length; row++) {
    const p = table.picture[row];
    if (p === undefined || table.ext[row] === null) continue;
    const rows = byPicture.get(p);
    if (rows) rows.push(row);
    else byPicture.set(p, [row]);
  }
  const pictures = [...byPicture.keys()];
  if (!similar) return { byPicture, pictures, pairs: null };
  const index = new SimilarIndex();
  const indexed: number[] = [];
  pictures.forEach((p, i) => {
    const l = similar.looks.get(p);
    if (l && !l.flat) indexed[index.add(l.dhash, l.phash)] = i;
  });
  const pairs = [...index.pairs(similar.threshold)].map(({ a, b, distance }) => ({ a: indexed[a], b: indexed[b], distance })).sort((x, y) => x.distance - y.distance);
  return { byPicture, pictures, pairs };
}

/**
 * Pictures joined by similarity: the close pairs, closest first, each joining two groups unless a
 * "not duplicates" mark lies between them (then the pair is left apart, and counted).
 */
function similarClusters(pictures: string[], pairs: readonly SimilarPair[], marks: ReadonlySet<string>): { clusters: string[][]; marksHonoured: number } {
  const parent = Int32Array.from(pictures, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  // Per group root: the pictures marked "not duplicates" with one of its members.
  const forbidden = new Map<number, Set<number>>();
  if (marks.size > 0) {
    const at = new Map(pictures.map((p, i) => [p, i]));
    for (const pair of marks) {
      const [a, b] = pair.split(':').map((h) => at.get(h));
      if (a === undefined || b === undefined) continue;
      forbidden.set(a, (forbidden.get(a) ?? new Set()).add(b));
      forbidden.set(b, (forbidden.get(b) ?? new Set()).add(a));
    }
  }
  let marksHonoured = 0;
  for (const { a, b } of pairs) {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) continue;
    const fa = forbidden.get(ra);
    if (fa && [...fa].some((x) => find(x) === rb)) {
      marksHonoured++;
      continue;
    }
    parent[rb] = ra;
    const fb = forbidden.get(rb);
    if (fb) forbidden.set(ra, new Set([...(fa ?? []), ...fb]));
  }
  const clusters = new Map<number, string[]>();
  pictures.forEach((p, i) => {
    const r = find(i);
    const list = clusters.get(r);
    if (list) list.push(p);
    else clusters.set(r, [p]);
  });
  return { clusters: [...clusters.values()], marksHonoured };
}
