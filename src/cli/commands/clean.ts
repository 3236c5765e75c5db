import type { Command } from 'commander';
import path from 'node:path';
import type { CleanPlan, KeptFile, KeptFiles } from '../../core/clean-plan.js';
import type { Selection } from '../../core/selection.js';
import { EXIT, PicvaultError, usageError } from '../../errors.js';
import { toSelection, type SelectionFlags } from '../options.js';
import { addDeviceName, addSelection, deviceName, refuseDeviceFilter, jsonStreamed, progressFor, reportSkipped, SKIPPED_SHOWN, vaultOf, type Chunked, type CliContext, type CommonFlags } from '../context.js';
import type { ArchiveResult } from '../../core/archive.js';
import type { ReadBackTotals } from '../../core/read-back.js';
import { askYesNo, onTerminal } from '../render/confirm.js';
import { privateTempDir } from '../../engine/private-temp.js';
import { hasMessage } from '../../i18n/index.js';
import { formatBytes, table } from '../render/format.js';
import { noPictureWords } from '../render/sheet-words.js';

export interface CleanFlags {
  dryRun?: boolean;
  list?: boolean;
  yes?: boolean;
  preview?: string;
  force?: boolean;
}

function renderPlan(ctx: CliContext, plan: CleanPlan, listAll: boolean): void {
  const { t } = ctx;
  if (listAll) for (const chunk of plan.remove.chunks()) for (const c of chunk) ctx.out(`  ${t('clean.wouldDelete')}: ${c.path}`);
  if (plan.byMonth.size > 0) {
    ctx.out(table([t('col.month'), t('col.files'), t('col.bytes')], [...plan.byMonth].sort().map(([m, v]) => [m, v.files, formatBytes(v.bytes)]), [false, true, true]));
  }
  renderKeptCounts(ctx, plan.keep);
  ctx.out(t('clean.planSummary', { count: plan.remove.size, bytes: formatBytes(plan.bytes), kept: plan.keep.size }));
}

function renderKeptCounts(ctx: CliContext, kept: KeptFiles): void {
  for (const [reason, count] of kept.byReason) {
    ctx.out(ctx.t('clean.keptBecause', { count, reason: ctx.t(hasMessage(`keep.${reason}`) ? `keep.${reason}` : `skip.${reason}`) }));
  }
}

/**
 * Files never archived (or archived by another device, or not pictures) are simply not clean's
 * to delete: counted, not listed. Anything else kept is a file the user expected to go: listed,
 * and the run exits 3.
 */
const NOT_ELIGIBLE = new Set<KeptFile['reason']>(['not-in-vault', 'other-device', 'not-image']);
/** Files that stay because the vault's copy of their picture is damaged: verification found damage (exit 4). */
const DAMAGED = new Set<KeptFile['reason']>(['stored-copy-damaged', 'archive-damaged']);
function reportKept(ctx: CliContext, kept: KeptFiles, vault: string): void {
  const { count, first } = kept.some((reason) => !NOT_ELIGIBLE.has(reason), SKIPPED_SHOWN);
  reportSkipped(ctx, first.map((k) => ({ path: k.path, reason: k.reason, device: k.device })), count);
  const damaged = kept.some((reason) => DAMAGED.has(reason), 0).count;
  if (damaged === 0) return;
  ctx.err(ctx.t('clean.damaged', { count: damaged, vault }));
  ctx.exit(EXIT.damaged);
}

/**
 * clean's JSON, one shape for a dry run and a real one (docs/json.md): `files` lists what was
 * deleted (in a dry run, what would be), `kept` every selected file that stays and why.
 */
function cleanDocument(
  plan: CleanPlan,
  run: { dryRun: boolean; deleted: number; bytes: number; files: Chunked | []; kept: KeptFiles; removedFolders: number | null; readBack: ReadBackTotals | null; preview: string | null },
) {
  const { vault, device, sources, selection } = plan;
  return {
    dryRun: run.dryRun, vault, device, sources, selection, deleted: run.deleted, bytes: run.bytes, removedFolders: run.removedFolders,
    readBack: run.readBack, preview: run.preview, files: run.files, kept: run.kept,
  };
}

/**
 * Plan, show, ask, delete: the one flow behind `clean` and `archive --clean` (whose archive result
 * is printed with clean's as one JSON document).
 */
export async function runClean(
  ctx: CliContext, opts: { vault: string; sources: string[]; selection: Selection; device?: string } & CleanFlags & CommonFlags, archived?: ArchiveResult,
): Promise<void> {
  const startedAt = new Date().toISOString();
  const { planClean } = await import('../../core/clean-plan.js');
  const plan = await planClean({ vault: opts.vault, sources: opts.sources, selection: opts.selection, device: opts.device, progress: progressFor(ctx, opts) });
  try {
    const print = (doc: ReturnType<typeof cleanDocument>) => jsonStreamed(ctx, archived ? { archive: archived, clean: doc } : doc);
    await showAskDelete(ctx, plan, opts, startedAt, print);
  } finally {
    plan.close();
  }
}

/** What runClean does with its plan, which it closes whatever happens here. */
async function showAskDelete(
  ctx: CliContext,
  plan: CleanPlan,
  opts: CleanFlags & CommonFlags,
  startedAt: string,
  print: (doc: ReturnType<typeof cleanDocument>) => Promise<void>,
): Promise<void> {
  const { t } = ctx;
  const [{ executeClean }, { writeContactSheet }, { chatAppsRunning }] = await Promise.all([
    import('../../core/clean.js'), import('../../core/preview.js'), import('../../sources/apps-running.js'),
  ]);
  if (opts.dryRun) {
    const preview = opts.preview && plan.remove.size > 0 ? (await writeContactSheet(plan.sample, path.resolve(opts.preview), { wechatKey: opts.wechatKey, noPicture: noPictureWords(ctx) })).file : null;
    if (opts.json) return print(cleanDocument(plan, { dryRun: true, deleted: plan.remove.size, bytes: plan.bytes, files: plan.remove, kept: plan.keep, removedFolders: null, readBack: null, preview }));
    ctx.out(t('clean.dryRun'));
    // A summary; every file only when asked (--list, or --json).
    renderPlan(ctx, plan, Boolean(opts.list));
    if (!opts.list && !opts.quiet && plan.remove.size > 0) ctx.out(t('clean.listHint'));
    if (plan.readOnly) ctx.out(t('clean.readOnly'));
    return;
  }
  if (plan.remove.size === 0) {
    if (opts.json) await print(cleanDocument(plan, { dryRun: false, deleted: 0, bytes: 0, files: [], kept: plan.keep, removedFolders: 0, readBack: { pictures: 0, bytes: 0, damaged: 0 }, preview: null }));
    else renderPlan(ctx, plan, false);
    return reportKept(ctx, plan.keep, plan.vault);
  }
  // Every delete is recorded in the catalogue: on a read-only vault there is nothing to ask.
  if (plan.readOnly) throw new PicvaultError('clean.readOnlyVault', { vault: plan.vault }, EXIT.notVault);
  const named = opts.preview ? path.resolve(opts.preview) : null;
  const sheetOptions = { wechatKey: opts.wechatKey, noPicture: noPictureWords(ctx) };
  if (!opts.yes && !onTerminal()) {
    if (named) await writeContactSheet(plan.sample, named, sheetOptions);
    throw usageError('clean.needYes', { count: plan.remove.size, bytes: formatBytes(plan.bytes) });
  }
  // The contact sheet shows private pictures: unless the user named a file for it, it is made for
  // the question only, in a folder of this user's, and removed once answered, whatever happens.
  const scratch = named || opts.yes ? null : privateTempDir('picvault-preview-');
  try {
    const previewFile = named ?? (scratch && path.join(scratch.dir, 'preview.png'));
    if (previewFile) await writeContactSheet(plan.sample, previewFile, sheetOptions);
    if (!opts.yes) {
      renderPlan(ctx, plan, false);
      const ok = await askYesNo(t('clean.ask', { count: plan.remove.size, bytes: formatBytes(plan.bytes), preview: previewFile ?? '' }));
      if (!ok) return void ctx.out(t('clean.cancelled'));
    }
    const result = await executeClean(plan, { progress: progressFor(ctx, opts), appsRunning: chatAppsRunning, force: opts.force, startedAt });
    try {
      if (opts.json) {
        await print(cleanDocument(plan, {
          dryRun: false, deleted: result.deleted, bytes: result.bytes, files: result.removed, kept: result.kept, removedFolders: result.removedFolders,
          readBack: result.readBack, preview: named,
        }));
      } else {
        ctx.out(t('clean.done', { count: result.deleted, bytes: formatBytes(result.bytes), folders: result.removedFolders }));
        ctx.out(t('clean.readBack', { count: result.readBack.pictures, bytes: formatBytes(result.readBack.bytes) }));
        renderKeptCounts(ctx, result.kept);
        if (named) ctx.out(t('clean.preview', { preview: named }));
      }
      reportKept(ctx, result.kept, plan.vault);
    } finally {
      result.close();
    }
  } finally {
    scratch?.remove();
  }
}

export function addCleanFlags(cmd: Command): Command {
  return cmd
    .option('--yes', 'help.clean.yes')
    .option('--preview <file>', 'help.clean.preview')
    .option('--force', 'help.clean.force');
}

export function registerClean(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('clean')
    .argument('[source...]', 'help.clean.source')
    .description('help.clean')
    .option('--vault <vault>', 'help.vault')
    .option('--dry-run', 'help.clean.dryRun')
    .option('--list', 'help.clean.list');
  refuseDeviceFilter(addDeviceName(addCleanFlags(addSelection(cmd))), 'clean').action(async (sources: string[], flags: CommonFlags & SelectionFlags & CleanFlags & { deviceName?: string }) => {
    await runClean(ctx, {
      ...flags,
      vault: vaultOf(ctx, flags.vault),
      sources,
      selection: toSelection(flags),
      device: deviceName(ctx, flags),
    });
  });
}
