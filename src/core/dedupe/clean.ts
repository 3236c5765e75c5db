import { statSync } from 'node:fs';
import { catalogedFile } from '../../catalog/pictures.js';
import { PicvaultError, usageError } from '../../errors.js';
import { openVault } from '../../vault/vault.js';
import { archive, type ArchiveResult } from '../archive.js';
import { cleanPlanner, type CleanPlan } from '../clean-plan.js';
import type { DedupeReport, DuplicateMember } from '../dedupe.js';
import type { Progress } from '../progress.js';

export interface DedupeCleanOptions {
  progress?: Progress;
  wechatKey?: string;
  /** Items each of the plan's lists holds in memory before spilling to disk. */
  holdLimit?: number;
}

export interface DedupeCleanPlan {
  /** What goes and what stays, for clean's execute step (core/clean.ts). */
  plan: CleanPlan;
  /** The archive run that stored the copies not yet in the vault. */
  archived: ArchiveResult;
}

/** The copies a dedupe report would remove, with the copy each group keeps. */
function removals(report: DedupeReport): { member: DuplicateMember; kept: DuplicateMember }[] {
  return report.groups.flatMap((g) => g.members.filter((m) => m.removable).map((member) => ({ member, kept: g.members[0] })));
}

/** Copies of the report not yet in the vault: what `--clean` would archive first (for --dry-run). */
export async function toArchiveFirst(report: DedupeReport): Promise<number> {
  if (!report.vault) return 0;
  const vault = await openVault(report.vault, { write: false }).catch((err: unknown) => {
    // No vault yet: --clean would make it, and archive every copy it removes.
    if (err instanceof PicvaultError && (err.key === 'vault.missing' || err.key === 'vault.notVault')) return null;
    throw err;
  });
  if (!vault) return removals(report).length;
  try {
    const known = catalogedFile(vault.db, report.device);
    return removals(report).filter(({ member: m }) => {
      const k = known(m.path);
      return !k || k.hash !== m.hash || k.size !== m.size;
    }).length;
  } finally {
    await vault.close();
  }
}

/**
 * dedupe --clean up to the deletes (SPEC "Duplicates"): the copies to remove are archived first
 * where the vault does not have them yet (core/archive.ts, those files only), then each is judged
 * exactly as clean judges a file: only a copy this device archived at its path, unchanged, into a
 * verified archive may go. A group whose kept copy is gone or changed since the report keeps all
 * its copies. The plan is carried out by clean's own execute step (executeClean), which re-hashes
 * each file just before it deletes it: dedupe has no deleter of its own.
 */
export async function planDedupeClean(report: DedupeReport, options: DedupeCleanOptions = {}): Promise<DedupeCleanPlan> {
  if (!report.vault) throw usageError('dedupe.cleanNeedsVault');
  const gone = removals(report);
  const paths = new Set(gone.map(({ member }) => member.path));
  const archived = await archive({ vault: report.vault, sources: report.sources, device: report.device, only: (p) => paths.has(p), progress: options.progress, wechatKey: options.wechatKey });
  const vault = await openVault(report.vault, { write: false });
  try {
    const { plan, judge } = cleanPlanner(vault, report.device, {}, { holdLimit: options.holdLimit });
    plan.sources = report.sources;
    const keptOk = new Map<DuplicateMember, boolean>();
    for (const { member: m, kept } of gone) {
      if (!keptOk.has(kept)) keptOk.set(kept, kept.where === 'vault' || unchanged(kept));
      const now = statSync(m.path, { throwIfNoEntry: false });
      if (!keptOk.get(kept) || !now) {
        plan.keep.add({ path: m.path, size: m.size, month: m.month, reason: now ? 'kept-copy-changed' : 'vanished' });
        continue;
      }
      // Judged as it is now, against the bytes the report saw: a copy rewritten since is no duplicate
      // (archive has just stored it again, as a picture of its own, and catalogued it at its path).
      judge({ path: m.path, root: m.root, size: now.size, mtimeMs: now.mtimeMs, month: m.month, taken: m.taken, source: m.source, kind: m.kind, chat: m.chat, hash: m.hash });
    }
    return { plan, archived };
  } finally {
    await vault.close();
  }
}

/** The kept copy is still there with its size. */
function unchanged(m: DuplicateMember): boolean {
  const st = statSync(m.path, { throwIfNoEntry: false });
  return st !== undefined && st.isFile() && st.size === m.size;
}
