import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { linkedTree } from './cache.js';
import { du } from './measure.js';
import { pvRow, ratio, type BenchContext, type Row, type Step, type Suite, type Target } from './suite.js';

/** SPEC's scan target is on 20 000 files: a shape with fewer (photos) is also scanned over as many linked paths. */
const SCAN_FILES = 20_000;

const restic = (ctx: BenchContext) => ({ RESTIC_PASSWORD: 'bench', RESTIC_CACHE_DIR: ctx.out('restic-cache') });
const kept = (ctx: BenchContext) => ({ vault: ctx.out('vault-kept'), repo: ctx.out('restic-kept'), zip: ctx.out('kept.zip'), scanTree: path.join(ctx.work, `scan-${SCAN_FILES}`) });

/**
 * scan, archive (against restic backup, 7-Zip's store-only zip, zip -0 and cp -r) and restore of
 * everything (against restic restore and unzip of an ordinary zip of the same tree): SPEC's
 * targets, each tool alternating with the others on the same tree.
 */
export const core: Suite = {
  name: 'core',

  // A vault and a restic repository (the distinct bytes each) and an ordinary zip of the tree.
  keeps: ({ cache, peers }) => cache.distinctBytes + (peers ? cache.distinctBytes + cache.bytes : 0),

  async setup(ctx) {
    // Inputs for the restores, made once: a vault, a restic repository, an ordinary zip.
    const k = kept(ctx);
    await ctx.fresh(k.vault);
    ctx.picvault(['archive', ctx.src, '--to', k.vault, '--quiet']);
    if (ctx.peers) {
      await ctx.fresh(k.repo);
      ctx.peer('restic', ['init', '-r', k.repo, '-q'], restic(ctx));
      ctx.peer('restic', ['backup', '-r', k.repo, '-q', ctx.src], restic(ctx));
      await ctx.fresh(k.zip);
      ctx.peer('7z', ['a', '-tzip', '-mx0', k.zip, ctx.src]);
    }
    if (ctx.cache.files < SCAN_FILES && ctx.cache.shape === 'photos') {
      ctx.log(`linking ${SCAN_FILES} paths to the tree's files, to time scan on as many`);
      await linkedTree(ctx.cache, k.scanTree, SCAN_FILES);
    }
  },

  steps(ctx) {
    const k = kept(ctx);
    const { cache, src } = ctx;
    const steps: Step[] = [
      { group: 'scan', tool: 'picvault scan', reads: [src], outputs: [], writes: 0, run: async () => ({ ...ctx.picvault(['scan', src, '--quiet', '--json']), bytes: 0 }) },
    ];
    if (cache.files < SCAN_FILES && cache.shape === 'photos') {
      const tree = path.join(k.scanTree, 'cache');
      steps.push({
        group: 'scan', tool: `picvault scan (${SCAN_FILES} paths)`, reads: [tree], outputs: [], writes: 0,
        run: async () => ({ ...ctx.picvault(['scan', tree, '--quiet', '--json']), bytes: 0 }),
      });
    }
    const writing = (tool: string, group: 'archive' | 'restore', out: string, writes: number, reads: string[], run: (o: string) => ReturnType<BenchContext['peer']>): Step => ({
      group, tool, reads, outputs: [out], writes,
      run: async () => {
        await ctx.fresh(out);
        return { ...run(out), bytes: du(out) };
      },
    });
    steps.push(writing('picvault archive', 'archive', ctx.out('vault'), cache.distinctBytes, [src], (v) => ctx.picvault(['archive', src, '--to', v, '--quiet'])));
    if (ctx.peers) {
      steps.push(
        writing('restic backup', 'archive', ctx.out('restic'), cache.distinctBytes, [src], (r) => {
          ctx.peer('restic', ['init', '-r', r, '-q'], restic(ctx));
          return ctx.peer('restic', ['backup', '-r', r, '-q', src], restic(ctx));
        }),
        writing('7z a -tzip -mx0', 'archive', ctx.out('7z.zip'), cache.bytes, [src], (z) => ctx.peer('7z', ['a', '-tzip', '-mx0', z, src])),
        // picvault flushes every zip before it names it (SPEC); 7-Zip leaves its zip in the page
        // cache. The same zip made durable shows what that costs where the zips are large (photos).
        writing('7z a -tzip -mx0, then sync', 'archive', ctx.out('7z-sync.zip'), cache.bytes, [src], (z) => ctx.peer('sh', ['-c', '7z a -tzip -mx0 "$1" "$2" > /dev/null && sync', '7z', z, src])),
        writing('zip -0 -r', 'archive', ctx.out('zip.zip'), cache.bytes, [src], (z) => ctx.peer('zip', ['-0', '-r', '-q', z, path.basename(src)], {}, path.dirname(src))),
        writing('cp -r (floor)', 'archive', ctx.out('cp'), cache.bytes, [src], (d) => ctx.peer('cp', ['-r', src, d])),
      );
    }
    if (ctx.restores) {
      steps.push(writing('picvault restore', 'restore', ctx.out('pv-restore'), cache.bytes, [k.vault], (d) => ctx.picvault(['restore', '--from', k.vault, '--to', d, '--quiet'])));
      if (ctx.peers) {
        steps.push(
          writing('restic restore', 'restore', ctx.out('restic-restore'), cache.bytes, [k.repo], (d) => ctx.peer('restic', ['restore', '-r', k.repo, 'latest', '--target', d, '-q'], restic(ctx))),
          writing('unzip', 'restore', ctx.out('unzip'), cache.bytes, [k.zip], (d) => ctx.peer('unzip', ['-q', k.zip, '-d', d])),
        );
      }
    }
    return steps;
  },

  async targets(ctx, rows) {
    const k = kept(ctx);
    const { cache, src } = ctx;
    // A re-run of archive over the unchanged tree: it must read nothing it already hashed.
    const rerunStart = ctx.picvault(['archive', src, '--to', k.vault, '--quiet']);
    const rerun = JSON.parse(execFileSync(process.execPath, [ctx.bin, 'archive', src, '--to', k.vault, '--json', '--quiet'], { maxBuffer: 1 << 28 }).toString()) as { selected: number; unchanged: number };
    const scanOf = (n: number) => rows.find((r) => r.tool === (n === cache.files ? 'picvault scan' : `picvault scan (${n} paths)`));
    const scan = scanOf(SCAN_FILES) ?? (cache.files <= SCAN_FILES ? scanOf(cache.files) : undefined);
    const archived = pvRow(rows, 'archive');
    const pv = rows.filter((r) => r.tool.startsWith('picvault'));
    const targets: Target[] = [
      { name: 'archive ≤ 0.5 × restic backup', value: ratio(rows, 'picvault archive', 'restic backup'), limit: 0.5 },
      { name: 'archive < 7z a -tzip -mx0', value: ratio(rows, 'picvault archive', '7z a -tzip -mx0'), limit: 1 },
      { name: 'vault bytes ≤ 1.02 × distinct bytes', value: archived ? archived.bytes / cache.distinctBytes : null, limit: 1.02 },
      { name: 'restore ≤ 0.5 × unzip', value: ratio(rows, 'picvault restore', 'unzip'), limit: 0.5 },
      { name: `scan of ${scan === scanOf(cache.files) ? cache.files : SCAN_FILES} files < 1 s`, value: scan?.seconds ?? null, limit: 1 },
      { name: `peak memory < 300 MB (${[...new Set(pv.map((r) => r.group))].join(', ')}, re-run)`, value: Math.max(...pv.map((r) => r.peakMB), rerunStart.peakMB), limit: 300 },
      {
        name: 'archive re-run over the unchanged tree reads nothing', value: null, limit: 0,
        text: `${rerun.unchanged}/${rerun.selected} unchanged, ${rerunStart.seconds.toFixed(2)} s`, met: rerun.unchanged === rerun.selected,
      },
    ];
    return targets;
  },
};

export type { Row };
