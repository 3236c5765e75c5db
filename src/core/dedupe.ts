import os from 'node:os';
import path from 'node:path';
import { PicvaultError, usageError } from '../errors.js';
import type { PerceptualHash } from '../media/perceptual.js';
import { openVault, type Vault } from '../vault/vault.js';
import { CopyExaminer } from './dedupe/examine.js';
import { buildGroups, preparedGroups, TIERS, type DuplicateGroup, type PreparedGroups, type Tier } from './dedupe/groups.js';
import { keepOrder, type KeepRule } from './dedupe/keep.js';
import { NO_MARKS, readMarks, type DedupeMarks } from './dedupe/marks.js';
import { PlaceTable } from './dedupe/places.js';
import { gatherScope, type StoredAt } from './dedupe/scope.js';
import { PicturePool } from '../engine/picture-pool.js';
import type { Progress } from './progress.js';
import type { Skipped } from './scan.js';
import type { Selection } from './selection.js';

export type { DuplicateGroup, DuplicateMember, Tier } from './dedupe/groups.js';
export type { KeepRule, KeptBecause } from './dedupe/keep.js';
export type { DedupeMarks } from './dedupe/marks.js';

export interface DedupeOptions {
  /** Source folders. None, with a vault: the vault alone, every device's pictures in it. */
  sources: string[];
  vault?: string;
  /** Reference folders: read and matched, never changed. */
  against?: string[];
  /** The similar tier's pHash distance (bits of 256); undefined: no similar tier. */
  similar?: number;
  /**
   * The similar tier from the looks the catalogue already has, computing none (the web page:
   * decoding every picture of a vault is a run's work, not a page's). `looksMissing` counts the
   * pictures left out.
   */
  knownLooksOnly?: boolean;
  /** `--keep`: keep rules to put first. */
  keep?: string[];
  /** Applies to the sources' files. */
  selection?: Selection;
  /** This device's name: its own copies in the vault are the ones on its disk (default: the host name). */
  device?: string;
  progress?: Progress;
  wechatKey?: string;
  /** dedupe --clean: a vault not made yet is fine (its archive step makes it); there is nothing in it to compare. */
  vaultMayBeNew?: boolean;
}

export interface FreedRow {
  /** The source folder, the chat (`account/chat`, or `-`) or the month. */
  key: string;
  files: number;
  bytes: number;
}

export interface DedupeReport {
  device: string;
  vault: string | null;
  sources: string[];
  against: string[];
  /** The similar tier's threshold, or null when it was not asked for. */
  similar: number | null;
  keep: KeepRule[];
  /**
   * Per tier: the groups of that tier (a group's weakest match: identical when every copy has the
   * same bytes), and the sums of those groups' `going` and `bytes` (looking at the vault alone: the
   * places that would go if only each kept copy stayed). A copy counts in its group's tier, even
   * one with the kept copy's very bytes in a same-picture group, so each total adds up what its
   * groups show.
   */
  tiers: Record<Tier, { groups: number; files: number; bytes: number }>;
  /** What `--clean` would free, per source folder and chat (largest first) and per month (in order). */
  freed: { files: number; bytes: number; bySource: FreedRow[]; byChat: FreedRow[]; byMonth: FreedRow[] };
  /** Similar pairs left apart because they are marked "not duplicates". */
  marksHonoured: number;
  /** With the similar tier: pictures with looks, and without (not computed yet with `knownLooksOnly`, or that sharp cannot decode). */
  looksKnown: number;
  looksMissing: number;
  groups: DuplicateGroup[];
  /** Copies that could not be read: left out of every group. */
  unreadable: Skipped[];
}

/**
 * Everything dedupe compares, read and hashed, before it is grouped: the costly part (a walk, the
 * reads, the catalogue's every place). `report` groups it under the marks given, which costs
 * little: the web page keeps one and groups it again when the user marks something.
 */
export interface DuplicateScope {
  /** The marks the vault held when the scope was gathered. */
  marks: DedupeMarks;
  report(marks: DedupeMarks): DedupeReport;
}

/**
 * dedupe, without changing anything: the identical, same-picture and (with `similar`) similar
 * copies among the sources, the reference folders and the vault's pictures from other devices,
 * grouped, each group with the copy that stays first (docs/dedupe.md). The web page calls this
 * with a vault and no sources: the duplicates the vault holds.
 */
export async function findDuplicates(options: DedupeOptions): Promise<DedupeReport> {
  const scope = await gatherDuplicates(options);
  return scope.report(scope.marks);
}

/** dedupe's scope, read and hashed (see DuplicateScope). */
export async function gatherDuplicates(options: DedupeOptions): Promise<DuplicateScope> {
  const device = options.device ?? os.hostname();
  const keep = keepOrder(options.keep);
  if (options.sources.length === 0 && !options.vault) throw usageError('dedupe.nothing');
  const pool = new PicturePool(options.wechatKey);
  // Started first when there is a walk: the threads load while the vault opens and the sources
  // are walked. Looking at the vault alone, they start only if a stored .dat must be read.
  if (options.sources.length > 0) pool.start();
  let vault: Vault | null = null;
  try {
    // Read without the lock: dedupe changes no picture, and the vault may be on read-only media.
    vault = options.vault ? await openVault(options.vault, { write: false }).catch((err: unknown) => notYetAVault(err, options.vaultMayBeNew)) : null;
    const table = new PlaceTable();
    const similar = options.similar !== undefined;
    const stored: StoredAt = new Map();
    // The threads read what can match while the walk goes on.
    const examiner = new CopyExaminer(table, stored, {
      pool, db: vault?.db ?? null, vaultDir: vault?.dir ?? null, device, looks: similar ? (options.knownLooksOnly ? 'known' : 'compute') : false, progress: options.progress,
    });
    const scope = await gatherScope(table, vault?.db ?? null, device, {
      sources: options.sources, against: options.against ?? [], vaultDir: vault?.dir ?? null, selection: options.selection ?? {}, progress: options.progress, wechatKey: options.wechatKey, stored,
    }, (row) => examiner.found(row));
    const examined = await examiner.finish();
    // The threads' memory goes before the groups are made: at 300 000 copies, both at once passed 300 MB.
    await pool.close();
    const vaultOnly = options.sources.length === 0;
    const marks = vault ? readMarks(vault.db) : NO_MARKS;
    const vaultDir = vault?.dir ?? (options.vault ? path.resolve(options.vault) : null);
    const unreadable = [...scope.unreadable, ...examined.unreadable];
    const similarTier = similar ? { looks: examined.looks, threshold: options.similar! } : null;
    let prepared: PreparedGroups | null = null;
    return {
      marks,
      report(given: DedupeMarks): DedupeReport {
        prepared ??= preparedGroups(table, similarTier);
        const { groups, marksHonoured } = buildGroups(table, { keep, notDuplicates: given.notDuplicates, kept: given.kept, device, vaultOnly, similar: similarTier }, prepared);
        return {
          device, vault: vaultDir, sources: scope.sources, against: scope.against, similar: similar ? options.similar! : null, keep,
          tiers: tierTotals(groups), freed: freedBy(groups), marksHonoured, ...looksCounted(similar ? examined.looks : null, table), groups, unreadable,
        };
      },
    };
  } finally {
    await pool.close();
    await vault?.close();
  }
}

/** The pictures that could be compared (any image read) whose looks are known, and not; none without the similar tier. */
function looksCounted(looks: Map<string, PerceptualHash | null> | null, table: PlaceTable): { looksKnown: number; looksMissing: number } {
  if (!looks) return { looksKnown: 0, looksMissing: 0 };
  const known = new Set<string>();
  const missing = new Set<string>();
  for (let row = 0; row < table.length; row++) {
    const p = table.picture[row];
    if (p !== undefined && table.ext[row] !== null) (looks.get(p) ? known : missing).add(p);
  }
  return { looksKnown: known.size, looksMissing: missing.size };
}

/** A vault that does not exist yet, when that is fine: null (nothing to compare); any other failure stands. */
function notYetAVault(err: unknown, fine: boolean | undefined): null {
  if (fine && err instanceof PicvaultError && (err.key === 'vault.missing' || err.key === 'vault.notVault')) return null;
  throw err;
}

function tierTotals(groups: DuplicateGroup[]): DedupeReport['tiers'] {
  const tiers = Object.fromEntries(TIERS.map((t) => [t, { groups: 0, files: 0, bytes: 0 }])) as DedupeReport['tiers'];
  for (const g of groups) {
    tiers[g.tier].groups++;
    tiers[g.tier].files += g.going;
    tiers[g.tier].bytes += g.bytes;
  }
  return tiers;
}

function freedBy(groups: DuplicateGroup[]): DedupeReport['freed'] {
  const tables = { bySource: new Map<string, FreedRow>(), byChat: new Map<string, FreedRow>(), byMonth: new Map<string, FreedRow>() };
  let files = 0;
  let bytes = 0;
  const add = (table: Map<string, FreedRow>, key: string, size: number) => {
    const row = table.get(key) ?? { key, files: 0, bytes: 0 };
    row.files++;
    row.bytes += size;
    table.set(key, row);
  };
  for (const g of groups) {
    for (const m of g.members) {
      if (!m.removable) continue;
      files++;
      bytes += m.size;
      add(tables.bySource, m.root, m.size);
      add(tables.byChat, m.chat ? `${m.account ? m.account + '/' : ''}${m.chat}` : '-', m.size);
      add(tables.byMonth, m.month, m.size);
    }
  }
  const sorted = (t: Map<string, FreedRow>) => [...t.values()].sort((a, b) => b.bytes - a.bytes || (a.key < b.key ? -1 : 1));
  return { files, bytes, bySource: sorted(tables.bySource), byChat: sorted(tables.byChat), byMonth: [...tables.byMonth.values()].sort((a, b) => (a.key < b.key ? -1 : 1)) };
}
