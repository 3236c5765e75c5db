import type { Command } from 'commander';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EXIT } from '../../errors.js';
import { targetUnder } from '../../core/restore-target.js';
import { addCommon, type CliContext, type CommonFlags } from '../context.js';
import { renderArchive } from './archive.js';
import { printMonths } from './catalog.js';
import { renderRestore } from './restore.js';
import { renderScan } from './scan.js';
import { renderVerify } from './verify.js';

const DEMO_DEVICE = 'demo-pc';

/** demo: the whole cycle on a sample cache, so a new user sees what picvault does in seconds. */
export function registerDemo(program: Command, ctx: CliContext): void {
  addCommon(program.command('demo').description('run scan → archive → verify → restore on a built-in sample cache').option('--dir <dir>', 'where to build it (default: a new temp folder)')).action(
    async (flags: CommonFlags & { dir?: string }) => {
      const { t } = ctx;
      const [{ archive }, { buildSampleCache }, { restore }, { scanSummary }, { verify }] = await Promise.all([
        import('../../core/archive.js'), import('../../core/demo-cache.js'), import('../../core/restore.js'), import('../../core/scan.js'), import('../../core/verify.js'),
      ]);
      const base = flags.dir ? path.resolve(flags.dir) : await mkdtemp(path.join(os.tmpdir(), 'picvault-demo-'));
      const cache = path.join(base, 'cache');
      const vault = path.join(base, 'vault');
      const restored = path.join(base, 'restored');
      const step = (s: string) => ctx.out(t('demo.step', { step: s }));

      ctx.out(t('demo.building', { count: 40, dir: cache }));
      const sample = await buildSampleCache(cache);

      step(`picvault scan ${cache}`);
      renderScan(ctx, await scanSummary({ sources: [cache] }));

      step(`picvault archive ${cache} --before 2024-06 --to ${vault}`);
      renderArchive(ctx, await archive({ vault, sources: [cache], selection: { before: '2024-06-01' }, device: DEMO_DEVICE }));

      step(`picvault catalog months --vault ${vault}`);
      await printMonths(ctx, vault);

      step(`picvault verify --vault ${vault} --read-data`);
      const v = await verify({ vault, readData: true });
      renderVerify(ctx, v, vault);

      step(`picvault restore --from ${vault} --month 2024-03 --to ${restored}`);
      const r = await restore({ vault, selection: { month: '2024-03' }, to: restored });
      renderRestore(ctx, r);

      let same = r.items.length > 0;
      for (const item of r.items) {
        const back = targetUnder(restored, DEMO_DEVICE, item.from);
        const equal = back !== null && (await readFile(back)).equals(await readFile(item.from));
        same &&= equal;
      }
      ctx.out(t('demo.restoreCheck', { count: r.restored, ok: t(same ? 'yes' : 'no') }));
      ctx.out(t('demo.where', { cache, vault, restored }));
      if (!same || v.damaged.length > 0 || sample.length === 0) ctx.exit(EXIT.failed);
    },
  );
}
