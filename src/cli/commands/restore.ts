import type { Command } from 'commander';
import type { Overwrite, RestoreResult } from '../../core/restore.js';
import { parseChoice, toSelection, type SelectionFlags } from '../options.js';
import { addCommon, addSelection, collect, json, progressFor, reportSkipped, vaultOf, type CliContext, type CommonFlags } from '../context.js';
import { formatBytes } from '../render/format.js';

interface RestoreFlags extends CommonFlags, SelectionFlags {
  decode?: boolean;
  from?: string;
  to?: string;
  overwrite?: string;
  dryRun?: boolean;
  root?: string[];
}

export function renderRestore(ctx: CliContext, r: RestoreResult, keyGiven = false): void {
  const { t } = ctx;
  if (r.selected === 0) return void ctx.out(t('restore.none'));
  if (r.dryRun) {
    ctx.out(t('restore.dryRun'));
    for (const i of r.items) if (i.action) ctx.out(`  ${t(`restore.action.${i.action}`)}: ${i.target}`);
  }
  ctx.out(t('restore.summary', { restored: r.restored, bytes: formatBytes(r.bytes), already: r.already, skipped: r.skipped.length }));
  if (r.destination && !r.dryRun && r.restored > 0) ctx.out(t('restore.to', { dir: r.destination }));
  if (r.notDecoded > 0) ctx.out(t('restore.notDecoded', { count: r.notDecoded }));
  if (r.notDecodedV2 > 0) ctx.out(t(keyGiven ? 'restore.v2WrongKey' : 'restore.v2NoKey', { count: r.notDecodedV2 }));
}

export function registerRestore(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('restore')
    .description('bring files back from the vault, byte for byte, with their dates')
    .option('--from <vault>', 'the vault folder')
    .option('--vault <vault>', 'same as --from')
    .option('--to <dir>', 'restore under DIR/<device>/<original path> instead of the original places')
    .option('--root <dir>', 'in place, also write inside DIR (repeatable); by default only inside folders this device archived from', collect)
    .option('--overwrite <when>', 'never|if-different|always', 'never')
    .option('--dry-run', 'say what would be restored, write nothing')
    .option('--decode', 'write WeChat .dat pictures decoded (.jpg, .png, .webp, ...) where the decoding is proven; the others as they are');
  addSelection(addCommon(cmd)).action(async (flags: RestoreFlags) => {
    const { restore } = await import('../../core/restore.js');
    const result = await restore({
      vault: vaultOf(ctx, flags.from, flags.vault),
      selection: toSelection(flags),
      to: flags.to,
      roots: flags.root,
      overwrite: parseChoice<Overwrite>('--overwrite', flags.overwrite ?? 'never', ['never', 'if-different', 'always']),
      dryRun: flags.dryRun,
      decode: flags.decode,
      wechatKey: flags.wechatKey,
      device: ctx.env.PICVAULT_DEVICE,
      progress: progressFor(ctx, flags),
      // Only --json and --dry-run show every place; otherwise a restore of a whole vault keeps counts.
      items: Boolean(flags.json || flags.dryRun),
    });
    if (flags.json) json(ctx, result);
    else renderRestore(ctx, result, flags.wechatKey !== undefined);
    reportSkipped(ctx, result.skipped.map((s) => ({ path: s.from, reason: s.skip!, device: s.device })));
  });
}
