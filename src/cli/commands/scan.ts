import type { Command } from 'commander';
import type { MonthRow, ScanSummary } from '../../core/scan.js';
import { toSelection, type SelectionFlags } from '../options.js';
import { GROUP_WORDS, parseWord } from '../words.js';
import { discoveredSources } from './discover.js';
import { addSelection, json, progressFor, reportSkipped, type CliContext, type CommonFlags } from '../context.js';
import { formatBytes, table } from '../render/format.js';

function monthsTable(ctx: CliContext, rows: MonthRow[]): string {
  const { t } = ctx;
  const total = rows.reduce((acc, r) => ({ files: acc.files + r.files, bytes: acc.bytes + r.bytes }), { files: 0, bytes: 0 });
  return table(
    [t('col.month'), t('col.files'), t('col.bytes')],
    [...rows.map((r) => [r.month, r.files, formatBytes(r.bytes)]), [t('total'), total.files, formatBytes(total.bytes)]],
    [false, true, true],
  );
}

/** Per source folder (or, with --by, per layout, chat or kind): a year/month table of files and bytes. */
export function renderScan(ctx: CliContext, result: ScanSummary): void {
  const { t } = ctx;
  if (result.files === 0) ctx.out(t('scan.empty'));
  else if (result.groups) {
    const by = result.by!;
    for (const g of result.groups) {
      const name = by === 'kind' ? t(`kind.${g.group}`) : g.group;
      ctx.out(`${t(`by.${by}`)}: ${name}\n${monthsTable(ctx, g.months)}\n`);
    }
  } else {
    for (const s of result.perSource) {
      ctx.out(t('scan.source', { source: s.source }) + (s.layouts.length > 0 ? `  (${s.layouts.join(', ')})` : ''));
      ctx.out(monthsTable(ctx, s.months) + '\n');
    }
  }
  if (result.notImages.length > 0) ctx.out(t('scan.notImages', { count: result.notImages.length }));
}

export function registerScan(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('scan')
    .argument('[source...]', 'help.scan.source')
    .description('help.scan')
    .option('--by <group>', 'help.scan.by');
  addSelection(cmd)
    .action(async (given: string[], flags: CommonFlags & SelectionFlags & { by?: string }) => {
      const by = flags.by === undefined ? undefined : parseWord('--by', flags.by, GROUP_WORDS);
      const selection = toSelection(flags);
      const sources = given.length > 0 ? given : await discoveredSources(ctx, flags.json || flags.quiet);
      const { scanSummary } = await import('../../core/scan.js');
      const result = await scanSummary({ sources, selection, progress: progressFor(ctx, flags), wechatKey: flags.wechatKey }, by);
      if (flags.json) {
        json(ctx, {
          sources: result.perSource.map((s) => ({ source: s.source, months: s.months })),
          ...(by && { by, groups: result.groups }),
          files: result.files,
          bytes: result.bytes,
          notImages: result.notImages,
          unreadable: result.unreadable,
        });
      } else renderScan(ctx, result);
      reportSkipped(ctx, result.unreadable);
    });
}
