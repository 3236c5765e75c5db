import type { Command } from 'commander';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ArchiveResult } from '../../core/archive.js';
import type { CleanResult } from '../../core/clean.js';
import type { KeptFile } from '../../core/clean-plan.js';
import type { DedupeReport, DuplicateGroup, DuplicateMember, FreedRow } from '../../core/dedupe.js';
import { groupNumbers, TIERS } from '../../core/dedupe/groups.js';
import { SIMILAR_DEFAULT } from '../../core/dedupe/similar-index.js';
import { usageError } from '../../errors.js';
import { hasMessage } from '../../i18n/index.js';
import { parseHash, toSelection, type SelectionFlags } from '../options.js';
import { addDeviceName, addSelection, deviceName, jsonStreamed, progressFor, refuseDeviceFilter, reportSkipped, SKIPPED_SHOWN, type CliContext, type CommonFlags } from '../context.js';
import { askYesNo, onTerminal } from '../render/confirm.js';
import { displayWidth, formatBytes, table } from '../render/format.js';
import { noPictureWords } from '../render/sheet-words.js';
import { discoveredSources } from './discover.js';

interface DedupeFlags extends CommonFlags, SelectionFlags {
  against?: string[];
  similar?: string | true;
  keep?: string;
  clean?: boolean;
  yes?: boolean;
  dryRun?: boolean;
  force?: boolean;
  sheet?: string;
  notDuplicate?: string[];
  deviceName?: string;
}

/** Groups shown per tier in the table; --json lists all. */
const GROUPS_SHOWN = 10;
/** Chats listed in the "what would be freed" table. */
const CHATS_SHOWN = 10;

/**
 * `--similar` alone is the default distance; `--similar N` a distance. Commander gives an optional
 * value the next argument, so `dedupe --similar ./photos` hands over a folder: it is one of the
 * sources, and the default applies.
 */
function similarOf(flag: string | true | undefined, sources: string[]): number | undefined {
  if (flag === undefined) return undefined;
  if (flag === true) return SIMILAR_DEFAULT;
  if (!/^\d+$/.test(flag)) {
    sources.push(flag);
    return SIMILAR_DEFAULT;
  }
  const n = Number(flag);
  if (n > 256) throw usageError('dedupe.similarBad', { value: flag });
  return n;
}

/** A copy marked "keep this copy" stays even where a reference folder's copy is the group's first. */
const role = (ctx: CliContext, m: DuplicateMember) =>
  ctx.t(m.match === 'kept' || m.marked ? 'dedupe.role.kept' : m.where === 'source' ? 'dedupe.role.go' : m.where === 'reference' ? 'dedupe.role.reference' : 'dedupe.role.vault');

const matchOf = (ctx: CliContext, m: DuplicateMember) => (m.match === 'kept' ? '' : ctx.t(`dedupe.match.${m.match}`, { distance: m.distance ?? '?' }));

const placeOf = (ctx: CliContext, m: DuplicateMember) =>
  m.where === 'vault' ? ctx.t('dedupe.inVault', { device: m.device ?? '?', places: m.places ?? 1, path: m.path }) : m.path;

/** A group's heading: its copies (and how many of them are shown, when not all), the ones that would go and their bytes. */
function groupHeading(ctx: CliContext, g: DuplicateGroup, n: number, shown = g.members.length): string {
  const count = g.members.length;
  return ctx.t('dedupe.groupHead', {
    n, tier: ctx.t(`dedupe.short.${g.tier}`), copies: ctx.t(shown < count ? 'dedupe.copiesShown' : 'dedupe.copies', { count, shown }),
    going: g.going, bytes: formatBytes(g.bytes), why: ctx.t(`dedupe.why.${g.why}`),
  });
}

function renderGroup(ctx: CliContext, g: DuplicateGroup, n: number): void {
  ctx.out(groupHeading(ctx, g, n));
  const width = Math.max(...g.members.map((m) => displayWidth(role(ctx, m))));
  for (const m of g.members) {
    const r = role(ctx, m);
    const match = matchOf(ctx, m);
    ctx.out(`  ${r}${' '.repeat(width - displayWidth(r))}  ${formatBytes(m.size).padStart(9)}  ${placeOf(ctx, m)}${match ? `  (${match})` : ''}`);
  }
}

function freedTable(ctx: CliContext, by: 'source' | 'chat' | 'month', rows: FreedRow[]): void {
  if (rows.length === 0) return;
  ctx.out('\n' + ctx.t('dedupe.freedHead', { by: ctx.t(`dedupe.by.${by}`) }));
  ctx.out(table([ctx.t(`dedupe.by.${by}`), ctx.t('col.files'), ctx.t('col.bytes')], rows.map((r) => [r.key, r.files, formatBytes(r.bytes)]), [false, true, true]));
}

export function renderDedupe(ctx: CliContext, r: DedupeReport): void {
  const { t } = ctx;
  if (r.groups.length === 0) ctx.out(t('dedupe.none'));
  for (const tier of TIERS) {
    const totals = r.tiers[tier];
    if (tier === 'similar' && r.similar === null) continue;
    ctx.out(t('dedupe.tierLine', { tier: t(`dedupe.tier.${tier}`, { threshold: r.similar ?? 0 }), groups: totals.groups, files: totals.files, bytes: formatBytes(totals.bytes) }));
  }
  if (r.marksHonoured > 0) ctx.out(t('dedupe.marksHonoured', { count: r.marksHonoured }));
  const numbers = groupNumbers(r.groups);
  for (const tier of TIERS) {
    const groups = r.groups.filter((g) => g.tier === tier);
    for (const g of groups.slice(0, GROUPS_SHOWN)) {
      ctx.out('');
      renderGroup(ctx, g, numbers.get(g)!);
    }
    if (groups.length > GROUPS_SHOWN) ctx.out(t('dedupe.more', { count: groups.length - GROUPS_SHOWN }));
  }
  if (r.freed.files === 0) return;
  freedTable(ctx, 'source', r.freed.bySource);
  freedTable(ctx, 'chat', r.freed.byChat.slice(0, CHATS_SHOWN));
  freedTable(ctx, 'month', r.freed.byMonth);
  ctx.out('\n' + t('dedupe.total', { files: r.freed.files, bytes: formatBytes(r.freed.bytes) }));
}

/** The contact sheet's words, in the user's language. */
async function writeSheet(ctx: CliContext, report: DedupeReport, file: string, wechatKey?: string): Promise<string> {
  const { writeDedupeSheet } = await import('../../core/dedupe/sheet.js');
  const sheet = await writeDedupeSheet(report, path.resolve(file), {
    wechatKey,
    noPicture: noPictureWords(ctx),
    heading: (g, n, shown) => groupHeading(ctx, g, n, shown),
    label: (m, group) => [
      `${role(ctx, m)} · ${formatBytes(m.size)} · ${m.type}`,
      `${m.width ? `${m.width}×${m.height} · ` : ''}${ctx.t(`kind.${m.kind}`)}`,
      m.match === 'kept' ? ctx.t(`dedupe.why.${group.why}`) : matchOf(ctx, m),
      m.where === 'vault' ? `${ctx.t('dedupe.role.vault')}: ${m.device}` : path.basename(m.path),
    ],
  });
  return sheet.file;
}

/** `--clean`'s part of the JSON document: the same fields in a dry run and a real one. */
interface CleanSummary {
  dryRun: boolean;
  archived: number;
  deleted: number;
  bytes: number;
  runId: number | null;
  kept: unknown;
}

/** The one JSON document (docs/dedupe.md): the report, its groups written a group at a time, and what --clean did. */
const jsonDocument = (ctx: CliContext, report: DedupeReport, clean?: CleanSummary) => jsonStreamed(ctx, { ...report, groups: { chunks: () => [report.groups] }, clean });

/** Files never archived or archived by another device are not clean's to delete; anything else kept is listed. */
const NOT_ELIGIBLE = new Set<KeptFile['reason']>(['not-in-vault', 'other-device']);

/** dedupe --clean: show, ask, archive what is not in the vault yet, and remove through clean's execute step. */
async function cleanDuplicates(ctx: CliContext, report: DedupeReport, flags: DedupeFlags): Promise<void> {
  const { t } = ctx;
  const { planDedupeClean, toArchiveFirst } = await import('../../core/dedupe/clean.js');
  const summary = (clean: CleanSummary) => (flags.json ? jsonDocument(ctx, report, clean) : Promise.resolve());
  if (flags.dryRun) {
    const archive = await toArchiveFirst(report);
    if (!flags.json) ctx.out('\n' + t('dedupe.dryRun', { archive, count: report.freed.files, bytes: formatBytes(report.freed.bytes) }));
    return summary({ dryRun: true, archived: archive, deleted: report.freed.files, bytes: report.freed.bytes, runId: null, kept: [] });
  }
  if (report.freed.files === 0) return summary({ dryRun: false, archived: 0, deleted: 0, bytes: 0, runId: null, kept: [] });
  const counts = { count: report.freed.files, bytes: formatBytes(report.freed.bytes) };
  if (flags.sheet) ctx.out(t('dedupe.sheet', { file: await writeSheet(ctx, report, flags.sheet, flags.wechatKey) }));
  if (!flags.yes) {
    if (!onTerminal()) throw usageError('dedupe.needYes', counts);
    // The sheet to look at while answering; one made only for the question goes with it.
    const sheet = flags.sheet ? path.resolve(flags.sheet) : await writeSheet(ctx, report, path.join(os.tmpdir(), `picvault-dedupe-${process.pid}-${Date.now()}.png`), flags.wechatKey);
    const yes = await askYesNo(t('dedupe.ask', { ...counts, sheet })).finally(() => (flags.sheet ? undefined : rm(sheet, { force: true })));
    if (!yes) return void ctx.out(t('clean.cancelled'));
  }
  const [{ executeClean }, { chatAppsRunning }] = await Promise.all([import('../../core/clean.js'), import('../../sources/apps-running.js')]);
  const { plan, archived } = await planDedupeClean(report, { progress: progressFor(ctx, flags), wechatKey: flags.wechatKey });
  let result: CleanResult;
  try {
    result = await executeClean(plan, { command: 'dedupe', progress: progressFor(ctx, flags), appsRunning: chatAppsRunning, force: flags.force });
  } finally {
    plan.close();
  }
  try {
    await reportCleaned(ctx, report, flags, result, archived);
  } finally {
    result.close();
  }
}

/** What dedupe --clean did: archived first, removed, kept and why; exit 3 for copies expected to go that stayed. */
async function reportCleaned(ctx: CliContext, report: DedupeReport, flags: DedupeFlags, result: CleanResult, archived: ArchiveResult): Promise<void> {
  const { t } = ctx;
  const newlyArchived = archived.plan.months.reduce((n, m) => n + m.files, 0);
  if (flags.json) await jsonDocument(ctx, report, { dryRun: false, archived: newlyArchived, deleted: result.deleted, bytes: result.bytes, runId: result.runId, kept: result.kept });
  else {
    if (newlyArchived > 0) ctx.out(t('dedupe.archivedFirst', { count: newlyArchived }));
    for (const [reason, count] of result.kept.byReason) {
      ctx.out(t('clean.keptBecause', { count, reason: t(hasMessage(`keep.${reason}`) ? `keep.${reason}` : `skip.${reason}`) }));
    }
    ctx.out(t('dedupe.done', { count: result.deleted, bytes: formatBytes(result.bytes), run: result.runId }));
  }
  reportSkipped(ctx, archived.skipped);
  const { count, first } = result.kept.some((reason) => !NOT_ELIGIBLE.has(reason), SKIPPED_SHOWN);
  reportSkipped(ctx, first.map((k) => ({ path: k.path, reason: k.reason, device: k.device })), count);
}

/** `dedupe --not-duplicate H1 H2`: a mark in the vault, then nothing else. */
async function markPair(ctx: CliContext, vault: string | undefined, hashes: string[], device: string | undefined, asJson?: boolean): Promise<void> {
  if (!vault) throw usageError('dedupe.markNeedsVault');
  const { markNotDuplicates } = await import('../../core/dedupe/marks.js');
  const mark = await markNotDuplicates(vault, hashes.map(parseHash), device);
  if (asJson) ctx.out(JSON.stringify(mark, null, 2));
  else ctx.out(ctx.t(mark.added ? 'dedupe.marked' : 'dedupe.markedAlready', { a: mark.a, b: mark.b }));
}

export function registerDedupe(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('dedupe')
    .argument('[source...]', 'help.dedupe.source')
    .description('help.dedupe')
    .option('--vault <vault>', 'help.dedupe.vault')
    .option('--against <dir...>', 'help.dedupe.against')
    .option('--similar [n]', 'help.dedupe.similar')
    .option('--keep <rules>', 'help.dedupe.keep')
    .option('--clean', 'help.dedupe.clean')
    .option('--yes', 'help.dedupe.yes')
    .option('--dry-run', 'help.dedupe.dryRun')
    .option('--force', 'help.dedupe.force')
    .option('--sheet <file>', 'help.dedupe.sheet')
    .option('--not-duplicate <hash...>', 'help.dedupe.notDuplicate');
  refuseDeviceFilter(addDeviceName(addSelection(cmd)), 'dedupe').action(async (given: string[], flags: DedupeFlags) => {
    const vault = flags.vault || ctx.env.PICVAULT_VAULT || undefined;
    const device = deviceName(ctx, flags);
    if (flags.notDuplicate) return markPair(ctx, vault, flags.notDuplicate, device, flags.json);
    if (flags.clean && !vault) throw usageError('dedupe.cleanNeedsVault');
    const sources = [...given];
    const similar = similarOf(flags.similar, sources);
    // No cache on this machine and a vault to look at: the vault alone (its pictures' looks come from their zips). Not for
    // --clean, which removes copies from the caches it finds.
    if (sources.length === 0) sources.push(...(await discoveredSources(ctx, flags.json, vault && !flags.clean ? { key: 'dedupe.vaultAlone' } : undefined)));
    const { findDuplicates } = await import('../../core/dedupe.js');
    const report = await findDuplicates({
      sources, vault, against: flags.against, similar, keep: flags.keep?.split(',').map((s) => s.trim()).filter(Boolean),
      selection: toSelection(flags), device, progress: progressFor(ctx, flags), wechatKey: flags.wechatKey, vaultMayBeNew: flags.clean,
    });
    if (!flags.json) renderDedupe(ctx, report);
    if (flags.sheet && !flags.clean) {
      const file = await writeSheet(ctx, report, flags.sheet, flags.wechatKey);
      if (!flags.json) ctx.out(ctx.t('dedupe.sheet', { file }));
    }
    if (flags.clean) await cleanDuplicates(ctx, report, flags);
    else if (flags.json) await jsonDocument(ctx, report);
    reportSkipped(ctx, report.unreadable);
  });
}
