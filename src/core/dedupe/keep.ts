import type { CopyRef } from '../../catalog/marks.js';
import { usageError } from '../../errors.js';
import type { ImageKind } from '../../sources/types.js';
import type { Where } from './places.js';

/**
 * Which copy of a group stays (SPEC "Duplicates"): the rules in order, each deciding only when the
 * ones before it tie. `--keep` names some of them to go first (docs/dedupe.md):
 *
 * - reference: a copy in a reference folder (`--against`), then one only in the vault (from
 *   another device), over a copy in a source: neither of the first two can be removed anyway;
 * - original: an original over a thumbnail (QQNT `Thumb`, WeChat `Thumb` and `_t`, Android `th_`);
 * - pixels: more pixels (known for similar pictures; identical ones have the same);
 * - size: the larger picture (a .dat counts by the image inside, so its header decides nothing);
 * - date: the earliest date;
 * - path: the shortest path (then the first in order, so the choice never depends on the walk).
 *
 * A copy the user marked "keep this copy" (on the web page) beats them all, whatever `--keep`
 * says, but for a copy in a reference folder, which is never removed and so stays anyway; the
 * marked copy is then kept too (`removable` is never true of it).
 */
export const KEEP_RULES = ['reference', 'original', 'pixels', 'size', 'date', 'path'] as const;
export type KeepRule = (typeof KEEP_RULES)[number];
/** Why a group's first copy stays: a rule, or the user's mark. */
export type KeptBecause = KeepRule | 'marked';

/** What the rules look at. */
export interface KeepFacts {
  where: Where;
  kind: ImageKind;
  /** Width × height when known, else 0 (then the rule does not decide). */
  pixels: number;
  /** The picture's bytes (a .dat's decoded size). */
  size: number;
  taken: string;
  path: string;
  /** Marked "keep this copy". */
  marked?: boolean;
  /**
   * A copy this device cleaned: it lives only in the vault now. It is compared (its looks come from
   * its zip) but never stays in place of a copy on this device's disk: were it kept, the last copy
   * on disk would go, and a second dedupe --clean would empty what the first one kept.
   */
  cleanedHere?: boolean;
}

const REFERENCE_RANK: Record<Where, number> = { reference: 2, vault: 1, source: 0 };
const referenceRank = (f: KeepFacts): number => (f.cleanedHere ? -1 : REFERENCE_RANK[f.where]);

/** Negative when a should stay rather than b, by one rule; 0 when the rule does not tell them apart. */
const RULES: Record<KeepRule, (a: KeepFacts, b: KeepFacts) => number> = {
  reference: (a, b) => referenceRank(b) - referenceRank(a),
  original: (a, b) => Number(a.kind === 'thumb') - Number(b.kind === 'thumb'),
  pixels: (a, b) => (a.pixels > 0 && b.pixels > 0 ? b.pixels - a.pixels : 0),
  size: (a, b) => b.size - a.size,
  date: (a, b) => a.taken.localeCompare(b.taken),
  path: (a, b) => a.path.length - b.path.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
};

/** `--keep a,b`: the rules named first, in that order, then the others in their usual order. */
export function keepOrder(named: readonly string[] = []): KeepRule[] {
  for (const name of named) {
    if (!(KEEP_RULES as readonly string[]).includes(name)) throw usageError('dedupe.keepBad', { value: name, rules: KEEP_RULES.join(',') });
  }
  const first = [...new Set(named)] as KeepRule[];
  return [...first, ...KEEP_RULES.filter((r) => !first.includes(r))];
}

/** The copy that stays, and the rule (or the mark) that chose it over the next best. */
export function chooseKept(members: readonly KeepFacts[], order: readonly KeepRule[]): { kept: number; why: KeptBecause } {
  const compare = (a: KeepFacts, b: KeepFacts): { c: number; rule: KeptBecause } => {
    if (Boolean(a.marked) !== Boolean(b.marked)) {
      const reference = Number(b.where === 'reference') - Number(a.where === 'reference');
      if (reference !== 0) return { c: reference, rule: 'reference' };
      return { c: a.marked ? -1 : 1, rule: 'marked' };
    }
    for (const rule of order) {
      const c = RULES[rule](a, b);
      if (c !== 0) return { c, rule };
    }
    return { c: 0, rule: order[order.length - 1] };
  };
  let kept = 0;
  for (let i = 1; i < members.length; i++) if (compare(members[i], members[kept]).c < 0) kept = i;
  let why: KeptBecause = order[order.length - 1];
  let runnerUp = -1;
  for (let i = 0; i < members.length; i++) {
    if (i !== kept && (runnerUp < 0 || compare(members[i], members[runnerUp]).c < 0)) runnerUp = i;
  }
  if (runnerUp >= 0) why = compare(members[kept], members[runnerUp]).rule;
  return { kept, why };
}

const copyKey = (picture: string, device: string, path?: string) => (path === undefined ? `${picture}\n${device}` : `${picture}\n${device}\n${path}`);

/**
 * The copies marked "keep this copy" (core/dedupe/marks.ts), as the groups look them up: a copy on
 * disk by its picture, device and path; a copy only in the vault (another device's, which stands
 * for all its places there) by its picture and device.
 */
export class KeptCopies {
  private readonly keys = new Set<string>();

  constructor(marks: Iterable<CopyRef>) {
    for (const m of marks) {
      this.keys.add(copyKey(m.picture, m.device, m.path));
      this.keys.add(copyKey(m.picture, m.device));
    }
  }

  /** A copy at a path of a device; without a path, any of that device's places. */
  has(picture: string, device: string, path?: string): boolean {
    return this.keys.has(copyKey(picture, device, path));
  }
}
