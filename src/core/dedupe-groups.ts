import { hammingHex } from '../media/hamming.js';
import type { PerceptualHash } from '../media/perceptual.js';
import { chooseKept, type KeepRule } from './dedupe-keep.js';
import type { PlaceFacts, PlaceTable } from './dedupe-places.js';
import { SimilarIndex } from './similar-index.js';

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
  /** `--clean` would remove it: a copy in a source that is not the kept one. */
  removable: boolean;
}

export interface DuplicateGroup {
  tier: Tier;
  /** The keep rule that chose the first member over the next best. */
  why: KeepRule;
  /** The kept copy first, then the others by path. */
  members: DuplicateMember[];
  /** Bytes `--clean` would free: the removable members' sizes. */
  bytes: number;
}

export interface GroupOptions {
  keep: readonly KeepRule[];
  /** Looks of every picture, and the pHash distance that makes two similar; null: no similar tier. */
  similar: { looks: Map<string, PerceptualHash | null>; threshold: number } | null;
  /** "Not duplicates": picture pairs as `a:b` with a < b. */
  marks: ReadonlySet<string>;
  /** With no source named, the vault is looked at alone: a group needs no copy in a source. */
  vaultOnly: boolean;
}

/**
 * The groups (SPEC "Duplicates"): copies showing one picture form a group (identical when every
 * copy has the same bytes, same picture otherwise); with the similar tier, pictures within the
 * threshold are joined into one group, closest pairs first, never joining two pictures marked
 * "not duplicates". A group matters when something in it could go: a copy in a source besides
 * the one that stays (or, looking at the vault alone, two different files).
 */
export function buildGroups(table: PlaceTable, options: GroupOptions): { groups: DuplicateGroup[]; marksHonoured: number } {
  const byPicture = new Map<string, number[]>();
  for (let row = 0; row < table.length; row++) {
    const p = table.picture[row];
    if (p === undefined || table.ext[row] === null) continue;
    const rows = byPicture.get(p);
    if (rows) rows.push(row);
    else byPicture.set(p, [row]);
  }
  const pictures = [...byPicture.keys()];
  const { clusters, marksHonoured } = options.similar ? similarClusters(pictures, options.similar, options.marks) : { clusters: pictures.map((p) => [p]), marksHonoured: 0 };
  const groups: DuplicateGroup[] = [];
  for (const cluster of clusters) {
    const rows = cluster.flatMap((p) => byPicture.get(p)!);
    if (rows.length < 2) continue;
    const sources = rows.filter((r) => table.where(r) === 'source').length;
    if (options.vaultOnly ? new Set(rows.map((r) => table.hash[r])).size < 2 : sources === 0) continue;
    const group = describe(table, rows, options);
    if (options.vaultOnly || group.members.some((m) => m.removable)) groups.push(group);
  }
  const rank = (g: DuplicateGroup) => (g.tier === 'identical' ? 0 : g.tier === 'same-picture' ? 1 : 2);
  groups.sort((a, b) => rank(a) - rank(b) || b.bytes - a.bytes || b.members.length - a.members.length || (a.members[0].path < b.members[0].path ? -1 : 1));
  return { groups, marksHonoured };
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
      taken: f.taken, month: f.month, device: f.device, places: f.places, hash: table.hash[row]!, picture: table.picture[row]!,
      type: table.ext[row] ?? 'bin', pictureSize: table.pictureSizeOf(row), width: looks?.width, height: looks?.height,
      match: 'kept', distance: undefined, removable: false,
    };
  });
  const { kept, why } = chooseKept(
    members.map((m) => ({ where: m.where, kind: m.kind, size: m.pictureSize, pixels: (m.width ?? 0) * (m.height ?? 0), taken: m.taken, path: m.path })),
    options.keep,
  );
  const keptMember = members[kept];
  const keptLooks = looksOf(rows[kept]);
  for (const [i, m] of members.entries()) {
    if (i === kept) continue;
    m.removable = m.where === 'source';
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
  return { tier, why, members: [keptMember, ...others], bytes: others.reduce((n, m) => n + (m.removable ? m.size : 0), 0) };
}

/**
 * Pictures joined by similarity: the pairs the index finds within the threshold, closest first,
 * each joining two groups unless a "not duplicates" mark lies between them (then the pair is left
 * apart, and counted). Flat pictures and those sharp could not decode stay alone.
 */
function similarClusters(pictures: string[], similar: NonNullable<GroupOptions['similar']>, marks: ReadonlySet<string>): { clusters: string[][]; marksHonoured: number } {
  const index = new SimilarIndex();
  const indexed: number[] = [];
  pictures.forEach((p, i) => {
    const l = similar.looks.get(p);
    if (l && !l.flat) indexed[index.add(l.dhash, l.phash)] = i;
  });
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
  const pairs = [...index.pairs(similar.threshold)].sort((x, y) => x.distance - y.distance);
  for (const { a, b } of pairs) {
    const ra = find(indexed[a]);
    const rb = find(indexed[b]);
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
