import type { Command } from 'commander';
import { parseHash, toSelection, type SelectionFlags } from '../options.js';
import { addDeviceFilter, addSelection, json, vaultOf, type CliContext, type CommonFlags } from '../context.js';
import { displayWidth, formatBytes, table, tableLines } from '../render/format.js';

/** The catalogue's queries, loaded when a catalogue command runs: every other command starts without SQLite. */
const core = () => import('../../core/catalog.js');

export async function printMonths(ctx: CliContext, vault: string, asJson = false): Promise<void> {
  const { t } = ctx;
  const { catalogMonths } = await core();
  const { months, totals } = await catalogMonths(vault);
  if (asJson) return json(ctx, { months, totals });
  if (months.length === 0) return void ctx.out(t('catalog.empty'));
  ctx.out(
    table(
      [t('col.month'), t('col.files'), t('col.images'), t('col.original'), t('col.stored'), t('col.devices')],
      months.map((m) => [m.month, m.files, m.images, formatBytes(m.originalBytes), formatBytes(m.storedBytes), m.devices.join(', ')]),
      [false, true, true, true, true, false],
    ),
  );
  ctx.out('\n' + t('catalog.totals', { archives: totals.archives, images: totals.images, locations: totals.locations, stored: formatBytes(totals.storedBytes) }));
}

export function registerCatalog(program: Command, ctx: CliContext): void {
  const { t } = ctx;
  const catalog = program.command('catalog').description('help.catalog');
  const withVault = (cmd: Command) => cmd.option('--vault <vault>', 'help.vault');

  withVault(catalog.command('months').description('help.catalog.months')).action(async (flags: CommonFlags) => {
    await printMonths(ctx, vaultOf(ctx, flags.vault), flags.json);
  });

  addDeviceFilter(addSelection(withVault(catalog.command('list').description('help.catalog.list')))).action(
    async (flags: CommonFlags & SelectionFlags) => {
      const vault = vaultOf(ctx, flags.vault);
      const { catalogList, catalogDevices } = await core();
      const rows = catalogList(vault, toSelection(flags));
      if (flags.json) {
        for await (const r of rows) {
          ctx.out(JSON.stringify(r));
          await ctx.drain();
        }
        return;
      }
      // Printed as read: the widths that vary come from the states' names and the devices', the
      // rest are fixed (a date, 16 hex, a type, a size).
      const states = ['archived', 'cleaned', 'restored'].map((s) => displayWidth(t(`state.${s}`)));
      const devices = (await catalogDevices(vault)).map((d) => displayWidth(d.device));
      const { head, line } = tableLines(
        [t('col.taken'), t('col.pictureHash'), t('col.type'), t('col.bytes'), t('col.state'), t('col.device'), t('col.path')],
        [19, 16, 4, 9, Math.max(...states), Math.max(0, ...devices)],
        [false, false, false, true, false, false, false],
      );
      ctx.out(head);
      for await (const r of rows) {
        ctx.out(line([r.taken, r.hash, r.ext, formatBytes(r.size), t(`state.${r.state}`), r.device, r.path]));
        await ctx.drain();
      }
    },
  );

  withVault(catalog.command('show').argument('<hash>', 'help.catalog.show.hash').description('help.catalog.show')).action(
    async (hash: string, flags: CommonFlags) => {
      const { catalogShow } = await core();
      const d = await catalogShow(vaultOf(ctx, flags.vault), parseHash(hash));
      if (flags.json) return json(ctx, d);
      const state = d.image.damage ? t('show.damaged', { damage: d.image.damage }) : d.image.verifiedAt ? t('show.verified', { at: d.image.verifiedAt }) : '';
      ctx.out(t('show.image', { hash: d.image.hash, type: d.image.ext, size: formatBytes(d.image.size) }));
      ctx.out(t('show.archive', { archive: d.image.archive, entry: d.image.entry, state }));
      ctx.out(t('show.seen', { count: d.locations.length }));
      for (const l of d.locations) {
        ctx.out('  ' + t('show.place', { taken: l.taken, rule: t(`rule.${l.dateRule}`), device: l.device, path: l.path }));
        if (l.exifDate && l.dateRule !== 'exif') ctx.out(t('show.exif', { exif: l.exifDate }));
        if (l.fileHash) {
          const format = t(l.recipeFormat ? `recipe.${l.recipeFormat}` : 'recipe.unreadable');
          ctx.out(t('show.file', { hash: l.fileHash, size: formatBytes(l.size), format }));
        }
      }
    },
  );

  withVault(catalog.command('log').description('help.catalog.log')).action(async (flags: CommonFlags) => {
    const { catalogLog } = await core();
    const runs = await catalogLog(vaultOf(ctx, flags.vault));
    if (flags.json) {
      for (const r of runs) ctx.out(JSON.stringify(r));
      return;
    }
    if (runs.length === 0) return void ctx.out(t('log.empty'));
    ctx.out(
      table(
        [t('col.run'), t('col.when'), t('col.command'), t('col.device'), t('col.files'), t('col.bytes'), t('col.skipped'), t('col.outcome'), t('col.selection')],
        runs.map((r) => [r.id, r.startedAt.replace('T', ' ').slice(0, 19), r.command, r.device, r.files, formatBytes(r.bytes), r.skipped, r.outcome, describeSelection(r.selection)]),
        [true, false, false, false, true, true, true, false, false],
      ),
    );
  });

  withVault(catalog.command('devices').description('help.catalog.devices')).action(async (flags: CommonFlags) => {
    const { catalogDevices } = await core();
    const rows = await catalogDevices(vaultOf(ctx, flags.vault));
    if (flags.json) return json(ctx, { devices: rows });
    ctx.out(
      table(
        [t('col.device'), t('col.files'), t('col.images'), t('col.original'), t('col.first'), t('col.last')],
        rows.map((r) => [r.device, r.files, r.images, formatBytes(r.originalBytes), r.firstMonth, r.lastMonth]),
        [false, true, true, true, false, false],
      ),
    );
  });
}

const describeSelection = (sel: Record<string, unknown>) =>
  Object.entries(sel)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');
