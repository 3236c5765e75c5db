/**
 * npm run bench [-- --shape chat,group2,folder,photos] [--files N] [--reps R] [--dir DIR]
 *               [--one-month] [--peers] [--keep-trees] [--suites core,clean,dedupe] [--serve]
 *               [--build-only]
 *
 * picvault beside the tools a user would otherwise use, on the same tree, in one run, alternating
 * and repeated, on every shape of cache SPEC names (bench/cache.ts): scan, archive (against restic
 * backup, 7z -mx0, zip -0, cp -r), restore of everything (against restic restore, unzip), clean.
 * Prints, per shape, each tool's median wall time, peak memory and bytes written, picvault's ratio
 * to each peer, and SPEC's targets met or not; then one line per shape. Never part of `npm test`.
 *
 * Shapes are measured one after another, each tree built (or reused), measured, then removed
 * unless --keep-trees: the disk holds one shape at a time (the bench says how much each needs).
 * --build-only builds (or finds) each shape's tree, says where it is, and measures nothing: a tree
 * to profile one command on while changing it.
 *
 * Steps come from suites (bench/suite.ts), one file each, listed in ALL_SUITES below (--suites
 * picks some): a new step is a suite added to that list; a suite that measures in its own way
 * gives a report (dedupe). --serve then runs bench/serve.ts, which builds its own vault.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCache, DEFAULT_FILES, LINKS_ABOVE, SHAPES, treeName, type CacheSpec, type Shape } from './cache.js';
import { clean } from './clean.js';
import { core } from './core.js';
import { benchDedupe } from './dedupe.js';
import { du, ensureTools, freeBytes, GB, log, median, settle, timed, warm, type Sample } from './measure.js';
import { formatShape, formatSummary } from './report.js';
import type { BenchContext, Row, Suite, Target } from './suite.js';

/** dedupe beside jdupes, rdfind and findimagedupes on each shape's tree (bench/dedupe.ts). */
const dedupe: Suite = {
  name: 'dedupe',
  steps: () => [],
  report: (ctx) => benchDedupe(ctx.src, ctx.work, { reps: ctx.reps, peers: ctx.peers, log: ctx.log }),
};

const ALL_SUITES: Suite[] = [core, clean, dedupe];

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'picvault.js');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const shapes = (arg('shape') ?? SHAPES.join(',')).split(',') as Shape[];
for (const s of shapes) if (!SHAPES.includes(s)) throw new Error(`--shape ${s}: one of ${SHAPES.join(', ')} (or several, comma-separated)`);
const WORK = path.resolve(arg('dir') ?? path.join(ROOT, '.bench'));
const suiteNames = (arg('suites') ?? ALL_SUITES.map((s) => s.name).join(',')).split(',');
const SUITES = ALL_SUITES.filter((s) => suiteNames.includes(s.name));
for (const n of suiteNames) if (!SUITES.some((s) => s.name === n)) throw new Error(`--suites ${n}: one of ${ALL_SUITES.map((s) => s.name).join(', ')}`);

/**
 * About how much disk a tree of this spec takes, said before it is built: written out, some 180 KB
 * a file (3.6 MB a photo); hard-linked past LINKS_ABOVE, its distinct images (90 large photos and
 * stickers of some 90 KB, twice over in the chat shape, whose WeChat copies are other bytes).
 */
function treeOnDisk(spec: CacheSpec): number {
  if (spec.shape === 'photos') return Math.min(spec.files, 1000) * 3.6e6;
  if (spec.files <= LINKS_ABOVE) return spec.files * 180e3;
  return (0.3e9 + ((spec.files * 1500) / 20000) * 90e3) * (spec.shape === 'chat' ? 2 : 1);
}

interface ShapeResult {
  shape: Shape;
  header: string;
  rows: Row[];
  targets: Target[];
  /** The suites' own reports (see Suite.report). */
  reports: string[];
}

async function benchShape(shape: Shape): Promise<ShapeResult | null> {
  const spec: CacheSpec = { shape, files: Number(arg('files') ?? DEFAULT_FILES[shape]), oneMonth: flag('one-month') };
  const big = spec.files > (shape === 'photos' ? DEFAULT_FILES.photos : LINKS_ABOVE);
  // The peers run on the default trees; on a hard-linked big one only with --peers.
  const peers = !big || flag('peers');
  const reps = Number(arg('reps') ?? (peers ? 3 : 1));
  const work = path.join(WORK, treeName(spec));
  const out = (name: string) => path.join(work, 'out', name);
  await mkdir(work, { recursive: true });
  log(`\n== ${shape}: ${spec.files} files; its tree takes about ${GB(treeOnDisk(spec))} of disk (${GB(freeBytes(work))} free)`);
  const cache = await buildCache(work, spec, log);
  log(`tree: ${cache.files} files, ${GB(cache.bytes)}, ${cache.distinct} distinct images (${(cache.distinctBytes / 1e6).toFixed(0)} MB distinct bytes)`);
  if (flag('build-only')) {
    log(`built only: the tree is ${cache.dir} (remove ${work} when done)`);
    return null;
  }

  const free = freeBytes(work);
  const ctx: BenchContext = {
    cache, src: cache.dir, work, out, bin: BIN, peers, reps, restores: free > cache.bytes * 1.2 + cache.distinctBytes * 3, log,
    async fresh(p) {
      await rm(p, { recursive: true, force: true });
      await mkdir(path.dirname(p), { recursive: true });
    },
    picvault: (args, stdout) => timed(process.execPath, [BIN, ...args], { cwd: work, stdout }),
    peer: (cmd, args, env = {}, cwd = work) => timed(cmd, args, { env, cwd }),
  };
  if (!ctx.restores) log(`restore skipped: it would write ${GB(cache.bytes)} and ${GB(free)} are free`);
  if (!peers) log('big tree: picvault alone (add --peers to run restic, 7-Zip, zip, unzip and cp on it too)');
  for (const s of SUITES) await s.setup?.(ctx);

  const steps = SUITES.flatMap((s) => s.steps(ctx));
  const perRep = steps.reduce((n, s) => n + s.writes, 0);
  const keepOutputs = freeBytes(work) > perRep * 1.2;
  const kept = SUITES.reduce((n, s) => n + (s.keeps?.(ctx) ?? 0), 0);
  log(
    `disk for ${shape}: the tree ${GB(du(cache.dir))}, the steps' inputs ${GB(kept)}, a repetition's outputs ${GB(perRep)} ` +
      `(kept until it ends when they fit; ${GB(freeBytes(work))} free now)`,
  );
  if (!keepOutputs) log(`each step's output is removed before the next: the steps that create files pay for the deletion (see settle)`);
  const removeOutputs = async () => {
    for (const s of steps) for (const o of s.outputs) await rm(o, { recursive: true, force: true });
  };
  const samples = new Map<string, Sample[]>();
  for (let rep = 0; rep < reps; rep++) {
    // Rotate the order each repetition so no tool always runs on a cold or a warm cache.
    const order = steps.map((_, i) => steps[(i + rep) % steps.length]);
    for (const step of order) {
      log(`${shape} rep ${rep + 1}/${reps}: ${step.tool}`);
      warm(step.reads);
      samples.set(step.tool, [...(samples.get(step.tool) ?? []), await step.run()]);
      if (!keepOutputs) await removeOutputs();
    }
    if (keepOutputs) {
      await removeOutputs();
      if (rep + 1 < reps) await settle();
    }
  }

  const rows: Row[] = steps.map((s) => {
    const xs = samples.get(s.tool)!;
    return {
      group: s.group, tool: s.tool, seconds: median(xs.map((x) => x.seconds)), runs: xs.map((x) => x.seconds),
      peakMB: Math.max(...xs.map((x) => x.peakMB)), bytes: median(xs.map((x) => x.bytes)), notes: [...new Set(xs.flatMap((x) => (x.note ? [x.note] : [])))],
    };
  });
  warm([cache.dir]);
  const targets: Target[] = [];
  for (const s of SUITES) targets.push(...((await s.targets?.(ctx, rows)) ?? []));
  const reports: string[] = [];
  for (const s of SUITES) reports.push(...((await s.report?.(ctx)) ?? []).flatMap((line, i) => (i === 0 ? ['', line] : [line])));
  const header =
    `${shape}: ${cache.files} files, ${GB(cache.bytes)}, ${cache.distinct} distinct images (${(cache.distinctBytes / 1e6).toFixed(0)} MB), ` +
    `${reps} repetition${reps === 1 ? '' : 's'}, ${new Date().toISOString()}`;
  await rm(path.join(work, 'out'), { recursive: true, force: true });
  await rm(path.join(work, 'time.txt'), { force: true });
  if (!flag('keep-trees')) await rm(work, { recursive: true, force: true });
  return { shape, header, rows, targets, reports };
}

async function main(): Promise<void> {
  ensureTools();
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const results: ShapeResult[] = [];
  for (const shape of shapes) {
    const r = await benchShape(shape);
    if (!r) continue;
    const text = [formatShape(r.header, r.rows, r.targets), ...r.reports].join('\n');
    console.log(`\n${text}`);
    await writeFile(path.join(WORK, `results-${r.shape}.md`), text + '\n');
    results.push(r);
  }
  if (results.length > 1) {
    const summary = formatSummary(results);
    console.log(`\n${summary}`);
    await writeFile(path.join(WORK, 'results-summary.md'), summary + '\n');
  }
}

await main();
if (process.argv.includes('--serve')) await import('./serve.js'); // the web page's figures (bench/serve.ts), after the archive and restore ones
