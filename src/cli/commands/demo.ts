import type { Command } from 'commander';
import path from 'node:path';
import type { DemoResult } from '../../core/demo.js';
import { EXIT } from '../../errors.js';
import { json, progressFor, type CliContext, type CommonFlags } from '../context.js';
import { formatBytes } from '../render/format.js';

/** The story in a few lines: each step as a user would type it, and what it did. */
function renderDemo(ctx: CliContext, r: DemoResult): void {
  const { t } = ctx;
  const month = r.before.slice(0, 7);
  const step = (n: number, command: string) => ctx.out(t('demo.step', { n, command }));
  ctx.out(t('demo.intro', { count: r.scan.files, dir: r.dir }));
  ctx.out(t('demo.vault'));
  step(1, 'scan cache');
  ctx.out(t('demo.scan', { files: r.scan.files, bytes: formatBytes(r.scan.bytes), months: r.scan.months }));
  step(2, `archive cache --before ${month} --to vault`);
  ctx.out(t('demo.archive', { ...r.archive, storedBytes: formatBytes(r.archive.storedBytes), before: month }));
  step(3, 'verify --vault vault --read-data');
  ctx.out(r.verify.whole ? t('demo.verify', { images: r.verify.images }) : t('demo.verifyDamaged'));
  step(4, `clean cache --vault vault --before ${month} --yes`);
  ctx.out(t('demo.preview', { preview: path.basename(r.preview) }));
  ctx.out(t('demo.clean', { ...r.clean, bytes: formatBytes(r.clean.bytes), before: month }));
  step(5, `restore --from vault --month ${r.restore.month}`);
  ctx.out(t('demo.restore', { month: r.restore.month, restored: r.restore.restored, ok: t(r.restore.identical ? 'yes' : 'no') }));
  ctx.out(t('demo.freed', { freed: formatBytes(r.freed), cleaned: formatBytes(r.clean.bytes), restored: formatBytes(r.restore.bytes) }));
  ctx.out(r.kept ? t('demo.keptIn', { dir: r.dir }) : t('demo.removed'));
}

/** demo: the whole cycle on a sample cache, so a new user sees what picvault does in seconds. */
export function registerDemo(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('help.demo')
    .option('--dir <dir>', 'help.demo.dir')
    .action(async (flags: CommonFlags & { dir?: string }) => {
      const { runDemo } = await import('../../core/demo.js');
      const result = await runDemo({ dir: flags.dir === undefined ? undefined : path.resolve(flags.dir), progress: progressFor(ctx, flags) });
      if (flags.json) json(ctx, result);
      else renderDemo(ctx, result);
      if (!result.verify.whole || !result.restore.identical) ctx.exit(EXIT.failed);
    });
}
