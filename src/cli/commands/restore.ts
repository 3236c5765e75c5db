import type { Command } from 'commander';
import type { Overwrite, RestoreResult } from '../../core/restore.js';
import { parseChoice, parseRunId, toSelection, type SelectionFlags } from '../options.js';
import { addDeviceFilter, addDeviceName, addSelection, collect, deviceName, json, progressFor, reportSkipped, vaultNamedBy, type CliContext, type CommonFlags } from '../context.js';
import { formatBytes } from '../render/format.js';

interface RestoreFlags extends CommonFlags, SelectionFlags {
  decode?: boolean;
  from?: string;
  to?: string;
  overwrite?: string;
  dryRun?: boolean;
  deviceName?: string;
  run?: string;
  root?: string[];
}

export function renderRestore(ctx: CliContext, r: RestoreResult, keyGiven = false): void {
  const { t } = ctx;
  if (r.selected === 0) return void ctx.out(t('restore.none'));
  if (r.dryRun) {
    ctx.out(t('restore.dryRun'));
    for (const i of r.items) if (i.action) ctx.out(`  ${t(`restore.action.${i.action}`)}: ${i.target}`);
  }
  ctx.out(t(r.dryRun ? 'restore.wouldSummary' : 'restore.summary', { restored: r.restored, bytes: formatBytes(r.bytes), already: r.already, skipped: r.skipped.length }));
  if (r.destination && !r.dryRun && r.restored > 0) ctx.out(t('restore.to', { dir: r.destination }));
  if (r.notDecoded > 0) ctx.out(t('restore.notDecoded', { count: r.notDecoded }));
  if (r.notDecodedV2 > 0) ctx.out(t(keyGiven ? 'restore.v2WrongKey' : 'restore.v2NoKey', { count: r.notDecodedV2 }));
}

export function registerRestore(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('restore')
    .description('help.restore')
    .option('--from <vault>', 'help.restore.from')
    .option('--vault <vault>', 'help.restore.vault')
    .option('--to <dir>', 'help.restore.to')
    .option('--root <dir>', 'help.restore.root', collect)
    .option('--overwrite <when>', 'help.restore.overwrite', 'never')
    .option('--dry-run', 'help.restore.dryRun')
    .option('--decode', 'help.restore.decode')
    .option('--run <id>', 'help.restore.run');
  addDeviceName(addDeviceFilter(addSelection(cmd))).action(async (flags: RestoreFlags) => {
    const { restore } = await import('../../core/restore.js');
    const result = await restore({
      vault: vaultNamedBy(ctx, '--from', flags.from, flags.vault),
      selection: toSelection(flags),
      to: flags.to,
      roots: flags.root,
      overwrite: parseChoice<Overwrite>('--overwrite', flags.overwrite ?? 'never', ['never', 'if-different', 'always']),
      dryRun: flags.dryRun,
      decode: flags.decode,
      wechatKey: flags.wechatKey,
      device: deviceName(ctx, flags),
      progress: progressFor(ctx, flags),
      // Only --json and --dry-run show every place; otherwise a restore of a whole vault keeps counts.
      items: Boolean(flags.json || flags.dryRun),
      run: flags.run === undefined ? undefined : parseRunId(flags.run),
    });
    if (flags.json) json(ctx, result);
    else renderRestore(ctx, result, flags.wechatKey !== undefined);
    reportSkipped(ctx, result.skipped.map((s) => ({ path: s.from, reason: s.skip!, device: s.device })));
  });
}
