import type { Command } from 'commander';
import type { RepairResult } from '../../core/repair.js';
import { EXIT } from '../../errors.js';
import { addDeviceName, deviceName, json, progressFor, refuseDeviceFilter, SKIPPED_SHOWN, vaultOf, type CliContext, type CommonFlags } from '../context.js';

interface RepairFlags extends CommonFlags {
  fromVault?: string;
  deviceName?: string;
  dryRun?: boolean;
}

function renderRepair(ctx: CliContext, r: RepairResult): void {
  const { t } = ctx;
  if (r.archives.length === 0) return void ctx.out(t('repair.whole'));
  if (r.dryRun) ctx.out(t('repair.dryRun'));
  for (const a of r.archives) {
    ctx.out(t('repair.archive', { name: a.name, damage: a.damage.join('; ') }));
    for (const [kind, count] of Object.entries(a.restored)) ctx.out(t('repair.from', { count, kind: t(`repair.kind.${kind}`) }));
    if (a.movedTo) ctx.out(t('repair.moved', { to: a.movedTo }));
  }
  if (!r.dryRun) ctx.out(t('repair.written', { count: r.written.length }));
  if (r.unrecoverable.length === 0) {
    if (!r.dryRun) ctx.out(t('repair.done'));
    return;
  }
  const places = r.unrecoverable.flatMap((u) => u.places);
  ctx.err(t('repair.unrecoverable', { count: r.unrecoverable.length }));
  for (const p of places.slice(0, SKIPPED_SHOWN)) ctx.err(`  ${p.month}  ${p.device}  ${p.path}`);
  if (places.length > SKIPPED_SHOWN) ctx.err(t('skipped.more', { count: places.length - SKIPPED_SHOWN }));
}

export function registerRepair(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('repair')
    .argument('[source...]', 'help.repair.source')
    .description('help.repair')
    .option('--vault <vault>', 'help.repair.vault')
    .option('--from-vault <vault>', 'help.repair.fromVault')
    .option('--dry-run', 'help.repair.dryRun');
  refuseDeviceFilter(addDeviceName(cmd), 'repair').action(async (sources: string[], flags: RepairFlags) => {
    const { repair } = await import('../../core/repair.js');
    const r = await repair({
      vault: vaultOf(ctx, flags.vault), sources, fromVault: flags.fromVault, device: deviceName(ctx, flags),
      dryRun: flags.dryRun, progress: progressFor(ctx, flags),
    });
    if (flags.json) json(ctx, r);
    else renderRepair(ctx, r);
    if (r.unrecoverable.length > 0 || (r.dryRun && r.archives.length > 0)) ctx.exit(EXIT.damaged);
  });
}
