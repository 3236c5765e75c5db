import type { Command } from 'commander';
import type { VerifyResult } from '../../core/verify.js';
import { EXIT } from '../../errors.js';
import { json, progressFor, vaultOf, type CliContext, type CommonFlags } from '../context.js';

/** Places whose stored copy is (or may be) bad, those whose file is still on disk said so: they are not lost. */
function affectedList(ctx: CliContext, places: VerifyResult['affected'], heading: string): void {
  if (places.length === 0) return;
  ctx.err(heading);
  for (const a of places.slice(0, 50)) ctx.err(`  ${a.month}  ${a.device}  ${a.path}${a.state === 'cleaned' ? '' : `  (${ctx.t('verify.stillOnDisk')})`}`);
  if (places.length > 50) ctx.err(ctx.t('skipped.more', { count: places.length - 50 }));
  const onDisk = places.filter((a) => a.state !== 'cleaned').length;
  if (onDisk > 0) ctx.err(ctx.t('verify.onDiskHint', { count: onDisk }));
}

export function renderVerify(ctx: CliContext, r: VerifyResult, vault: string): void {
  const { t } = ctx;
  if (r.damaged.length === 0 && r.notRebuilt.length === 0) {
    ctx.out(t('verify.ok', { archives: r.archives, images: r.images, data: t(r.readData ? 'verify.data' : 'verify.noData') }));
  } else if (r.damaged.length > 0) {
    ctx.err(t('verify.damaged', { count: r.damaged.length }));
    for (const d of r.damaged) {
      ctx.err(d.markedBefore ? `  ${d.name}: ${t('verify.markedBefore', { damage: d.damage.join('; '), vault })}` : `  ${d.name}: ${d.damage.join('; ')}`);
    }
    const known = r.affected.filter((a) => a.known);
    affectedList(ctx, known, t('verify.affected', { count: known.length }));
    const unread = r.affected.filter((a) => !a.known);
    affectedList(ctx, unread, t('verify.mayBeAffected', { count: unread.length, vault }));
    ctx.err(t(r.recorded ? 'verify.repairHint' : 'verify.repairHint.readOnly', { vault }));
  }
  if (r.notRebuilt.length > 0) {
    ctx.err(t('verify.notRebuilt', { count: r.notRebuilt.length, vault }));
    for (const p of r.notRebuilt.slice(0, 50)) ctx.err(`  ${p.month}  ${p.device}  ${p.path}`);
    if (r.notRebuilt.length > 50) ctx.err(t('skipped.more', { count: r.notRebuilt.length - 50 }));
  }
  if (r.uncatalogued.length > 0) {
    ctx.err(t(r.recorded ? 'verify.uncatalogued' : 'verify.uncatalogued.readOnly', { count: r.uncatalogued.length, names: r.uncatalogued.join(', ') }));
  }
  if (!r.recorded) ctx.err(t('verify.notRecorded'));
}

export function registerVerify(program: Command, ctx: CliContext): void {
  program.command('verify').description('help.verify').option('--vault <vault>', 'help.vault').option('--read-data', 'help.verify.readData').action(
    async (flags: CommonFlags & { readData?: boolean }) => {
      const { verify } = await import('../../core/verify.js');
      const vault = vaultOf(ctx, flags.vault);
      const result = await verify({ vault, readData: flags.readData, progress: progressFor(ctx, flags) });
      if (flags.json) json(ctx, result);
      else renderVerify(ctx, result, vault);
      if (result.damaged.length > 0 || result.notRebuilt.length > 0) ctx.exit(EXIT.damaged);
    },
  );
}
