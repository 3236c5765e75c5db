import type { Command } from 'commander';
import type { ArchiveResult } from '../../core/archive.js';
import { discoveredSources } from './discover.js';
import { parseSize, toSelection, type SelectionFlags } from '../options.js';
import { addDeviceName, addSelection, deviceName, json, progressFor, refuseDeviceFilter, reportSkipped, vaultNamedBy, type CliContext, type CommonFlags } from '../context.js';
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

/** `cleanNext`: archive --clean, whose originals are about to go, is not told they were kept. */
export function renderArchive(ctx: CliContext, r: ArchiveResult, cleanNext = false): void {
  const { t } = ctx;
  if (r.recovery && (r.recovery.adopted.length > 0 || r.recovery.partialsRemoved > 0)) {
    ctx.out(t('archive.recovered', { adopted: r.recovery.adopted.length, partials: r.recovery.partialsRemoved }));
  }
  if (r.dryRun) ctx.out(t('archive.dryRun'));
  ctx.out(
    t(r.dryRun ? 'archive.wouldSummary' : 'archive.summary', {
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
    ctx.out(t(cleanNext ? 'archive.cleanNext' : 'archive.originalsKept'));
  }
}

export function registerArchive(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('archive')
    .argument('[source...]', 'help.archive.source')
    .description('help.archive')
    .option('--to <vault>', 'help.archive.to')
    .option('--vault <vault>', 'help.archive.vault')
    .option('--dry-run', 'help.archive.dryRun')
    .option('--max-archive-size <size>', 'help.archive.maxArchiveSize', '2GiB')
    .option('--clean', 'help.archive.clean');
  refuseDeviceFilter(addCleanFlags(addDeviceName(addSelection(cmd))), 'archive').action(async (sources: string[], flags: ArchiveFlags) => {
    const vault = vaultNamedBy(ctx, '--to', flags.to, flags.vault);
    const selection = toSelection(flags);
    if (sources.length === 0) sources = await discoveredSources(ctx, flags.json || flags.quiet);
    const device = deviceName(ctx, flags);
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
    // With --clean and --json, clean prints both results as one document; a dry run has no clean to show.
    if (flags.json && flags.clean && flags.dryRun) json(ctx, { archive: result, clean: null });
    else if (flags.json && !flags.clean) json(ctx, result);
    else if (!flags.json) renderArchive(ctx, result, flags.clean && !flags.dryRun);
    reportSkipped(ctx, result.skipped);
    if (flags.clean && flags.dryRun && !flags.json) ctx.out(ctx.t('archive.cleanAfterDryRun'));
    else if (flags.clean && !flags.dryRun) await runClean(ctx, { ...flags, vault, sources, selection, device }, flags.json ? result : undefined);
  });
}
