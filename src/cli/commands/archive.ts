import type { Command } from 'commander';
import type { ArchiveResult } from '../../core/archive.js';
import { discoveredSources } from './discover.js';
import { parseSize, toSelection, type SelectionFlags } from '../options.js';
import { addCommon, addSelection, json, progressFor, reportSkipped, vaultOf, type CliContext, type CommonFlags } from '../context.js';
import { formatBytes, table } from '../render/format.js';
import { addCleanFlags, runClean, type CleanFlags } from './clean.js';

/** Zips listed by name after a run; the rest are counted. */
const ARCHIVES_SHOWN = 20;

interface ArchiveFlags extends CommonFlags, SelectionFlags, CleanFlags {
  clean?: boolean;
  to?: string;
  dryRun?: boolean;
  maxArchiveSize?: string;
  deviceName?: string;
}

export function renderArchive(ctx: CliContext, r: ArchiveResult): void {
  const { t } = ctx;
  if (r.recovery && (r.recovery.adopted.length > 0 || r.recovery.partialsRemoved > 0)) {
    ctx.out(t('archive.recovered', { adopted: r.recovery.adopted.length, partials: r.recovery.partialsRemoved }));
  }
  if (r.dryRun) ctx.out(t('archive.dryRun'));
  ctx.out(
    t('archive.summary', {
      selected: r.selected, unchanged: r.unchanged, newImages: r.plan.newImages, newBytes: formatBytes(r.plan.newBytes), duplicates: r.plan.duplicates,
    }),
  );
  if (r.plan.months.length === 0) {
    ctx.out(t('archive.nothing'));
    return;
  }
  ctx.out(
    '\n' +
      table(
        [t('col.month'), t('col.files'), t('col.new'), t('col.newBytes')],
        r.plan.months.map((m) => [m.month, m.files, m.newImages, formatBytes(m.newBytes)]),
        [false, true, true, true],
      ),
  );
  if (!r.dryRun) {
    ctx.out('\n' + t('archive.written', { count: r.archives.length, vault: r.vault }));
    // A busy month is written in slices of its own zips (see MONTH_SLICE): a big first run can
    // write hundreds; the first ARCHIVES_SHOWN say where they are, --json lists them all.
    for (const a of r.archives.slice(0, ARCHIVES_SHOWN)) ctx.out(`  ${a.name}  ${formatBytes(a.bytes)}`);
    if (r.archives.length > ARCHIVES_SHOWN) ctx.out(t('archive.more', { count: r.archives.length - ARCHIVES_SHOWN }));
    ctx.out(t('archive.originalsKept'));
  }
}

export function registerArchive(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('archive')
    .argument('[source...]', 'folders to archive (default: the QQ and WeChat caches of this machine)')
    .description('copy images into the vault as dated, content-hashed zips and verify them; originals are kept')
    .option('--to <vault>', 'the vault folder (created if missing)')
    .option('--vault <vault>', 'same as --to')
    .option('--dry-run', 'say what would be archived, write nothing')
    .option('--max-archive-size <size>', 'split a month into parts past this size', '2GiB')
    .option('--device-name <name>', 'the name this device is recorded under (default: host name)')
    .option('--clean', 'then delete the archived originals (asks first, like clean)');
  addCleanFlags(addSelection(addCommon(cmd))).action(async (sources: string[], flags: ArchiveFlags) => {
    if (sources.length === 0) sources = await discoveredSources(ctx, flags.json);
    const vault = vaultOf(ctx, flags.to, flags.vault);
    const selection = toSelection({ ...flags, device: undefined });
    const device = flags.deviceName ?? flags.device?.[0] ?? ctx.env.PICVAULT_DEVICE;
    const { archive } = await import('../../core/archive.js');
    const result = await archive({
      vault,
      sources,
      selection,
      device,
      dryRun: flags.dryRun,
      wechatKey: flags.wechatKey,
      maxArchiveSize: parseSize('--max-archive-size', flags.maxArchiveSize ?? '2GiB'),
      progress: progressFor(ctx, flags),
    });
    if (flags.json && !flags.clean) json(ctx, result);
    else if (!flags.json) renderArchive(ctx, result);
    reportSkipped(ctx, result.skipped);
    if (flags.clean && flags.dryRun) ctx.out(ctx.t('archive.cleanAfterDryRun'));
    else if (flags.clean) await runClean(ctx, { ...flags, vault, sources, selection, device });
  });
}
