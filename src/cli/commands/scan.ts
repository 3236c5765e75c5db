import type { Command } from 'commander';
import { groupedMonthTables, monthTable, type GroupBy, type MonthRow, type ScanResult } from '../../core/scan.js';
import { parseChoice, toSelection, type SelectionFlags } from '../options.js';
import { discoveredSources } from './discover.js';
import { addCommon, addSelection, json, progressFor, reportSkipped, type CliContext, type CommonFlags } from '../context.js';
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
export function renderScan(ctx: CliContext, result: ScanResult, by?: GroupBy): void {
  const { t } = ctx;
  if (result.files.length === 0) ctx.out(t('scan.empty'));
  else if (by) {
    for (const g of groupedMonthTables(result.files, by)) {
      const name = by === 'kind' ? t(`kind.${g.group}`) : g.group;
      ctx.out(`${t(`by.${by}`)}: ${name}\n${monthsTable(ctx, g.months)}\n`);
    }
  } else {
    for (const source of result.sources) {
      const files = result.files.filter((f) => f.root === source);
      const layouts = [...new Set(files.map((f) => f.source))].join(', ');
      ctx.out(t('scan.source', { source }) + (layouts ? `  (${layouts})` : ''));
      ctx.out(monthsTable(ctx, monthTable(files)) + '\n');
    }
  }
  if (result.notImages.length > 0) ctx.out(t('scan.notImages', { count: result.notImages.length }));
}

export function registerScan(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('scan')
    .argument('[source...]', 'folders to look in (default: the QQ and WeChat caches of this machine)')
    .description('what is there: a year/month table of images and bytes per source')
    .option('--by <group>', 'one table per source (layout), chat or kind');
  addSelection(addCommon(cmd))
    .action(async (given: string[], flags: CommonFlags & SelectionFlags & { by?: string }) => {
      const by = flags.by === undefined ? undefined : parseChoice<GroupBy>('--by', flags.by, ['source', 'chat', 'kind']);
      const sources = given.length > 0 ? given : await discoveredSources(ctx, flags.json);
      const { scan } = await import('../../core/scan.js');
      const result = await scan({ sources, selection: toSelection(flags), progress: progressFor(ctx, flags), wechatKey: flags.wechatKey });
      if (flags.json) {
        json(ctx, {
          sources: result.sources.map((s) => ({ source: s, months: monthTable(result.files.filter((f) => f.root === s)) })),
          ...(by && { by, groups: groupedMonthTables(result.files, by) }),
          files: result.files.length,
          bytes: result.files.reduce((n, f) => n + f.size, 0),
          notImages: result.notImages,
          unreadable: result.unreadable,
        });
      } else renderScan(ctx, result, by);
      reportSkipped(ctx, result.unreadable);
    });
}
