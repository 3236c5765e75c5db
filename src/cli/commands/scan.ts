import type { Command } from 'commander';
import { monthTable, scan, type ScanResult } from '../../core/scan.js';
import { toSelection, type SelectionFlags } from '../options.js';
import { addCommon, addSelection, json, progressFor, reportSkipped, type CliContext, type CommonFlags } from '../context.js';
import { formatBytes, table } from '../render/format.js';
import { usageError } from '../../errors.js';

export function renderScan(ctx: CliContext, result: ScanResult): void {
  const { t } = ctx;
  if (result.files.length === 0) ctx.out(t('scan.empty'));
  for (const source of result.sources) {
    const files = result.files.filter((f) => f.root === source);
    const rows = monthTable(files);
    ctx.out(t('scan.source', { source }));
    ctx.out(
      table(
        [t('col.month'), t('col.files'), t('col.bytes')],
        [...rows.map((r) => [r.month, r.files, formatBytes(r.bytes)]), [t('total'), files.length, formatBytes(files.reduce((n, f) => n + f.size, 0))]],
        [false, true, true],
      ) + '\n',
    );
  }
  if (result.notImages.length > 0) ctx.out(t('scan.notImages', { count: result.notImages.length }));
}

export function registerScan(program: Command, ctx: CliContext): void {
  addSelection(addCommon(program.command('scan').argument('[source...]', 'folders to look in').description('what is there: a year/month table of images and bytes per source')))
    .action(async (sources: string[], flags: CommonFlags & SelectionFlags) => {
      if (sources.length === 0) throw usageError('source.none');
      const result = await scan({ sources, selection: toSelection(flags), progress: progressFor(ctx, flags) });
      if (flags.json) {
        json(ctx, {
          sources: result.sources.map((s) => ({ source: s, months: monthTable(result.files.filter((f) => f.root === s)) })),
          files: result.files.length,
          bytes: result.files.reduce((n, f) => n + f.size, 0),
          notImages: result.notImages,
          unreadable: result.unreadable,
        });
      } else renderScan(ctx, result);
      reportSkipped(ctx, result.unreadable);
    });
}
