/**
 * npm run bench [-- --files N] [--reps R] [--dir DIR] [--one-month] [--peers] [--serve]
 *
 * picvault beside the tools a user would otherwise use, on the same tree, in one run, alternating
 * and repeated: scan, archive (vs restic backup, 7z -mx0, zip -0, cp -r) and restore of
 * everything (vs restic restore, unzip, cp -r). Prints median wall time, peak memory and bytes
 * written, and picvault's ratio to each peer against SPEC's targets. Never part of `npm test`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { statfsSync } from 'node:fs';
import { buildCache, LINKS_ABOVE, type CacheInfo } from './cache.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'picvault.js');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const FILES = Number(arg('files', '20000'));
/** Every file in one month (see CacheSpec): memory at the shape that holds the most per month. */
const ONE_MONTH = process.argv.includes('--one-month');
const TREE = `${FILES}${ONE_MONTH ? '-one-month' : ''}`;
/** The peers run on the default tree; on a hard-linked big one (see LINKS_ABOVE) only with --peers. */
const PEERS = FILES <= LINKS_ABOVE || process.argv.includes('--peers');
const REPS = Number(arg('reps', PEERS ? '3' : '1'));
const WORK = path.resolve(arg('dir', path.join(ROOT, '.bench')));
const log = (s: string) => process.stderr.write(s + '\n');

/** The peers, installed with apt when missing (the bench says so). */
function ensureTools(): void {
  const need: Record<string, string> = { restic: 'restic', '7z': 'p7zip-full', zip: 'zip', unzip: 'unzip', '/usr/bin/time': 'time' };
  const missing = Object.entries(need).filter(([cmd]) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0);
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map(([, p]) => p))];
  log(`installing the peers with apt: ${pkgs.join(' ')}`);
  execFileSync('apt-get', ['update'], { stdio: 'ignore' });
  execFileSync('apt-get', ['install', '-y', ...pkgs], { stdio: 'ignore' });
}

interface Sample {
  seconds: number;
  peakMB: number;
  bytes: number;
}

const du = (p: string) => Number(execFileSync('du', ['-sb', p]).toString().split('\t')[0]);

/**
 * Runs one command under GNU time: wall seconds and peak resident memory. Dirty pages left by the
 * step before are flushed first (untimed): each tool starts with the same empty write-back queue
 * instead of paying for its predecessor's writes.
 */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = WORK): Omit<Sample, 'bytes'> {
  execFileSync('sync');
  const out = path.join(WORK, 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', out, cmd, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.toString().slice(-2000)}`);
  const [seconds, kb] = execFileSync('tail', ['-1', out]).toString().trim().split(' ').map(Number);
  return { seconds, peakMB: kb / 1024 };
}

interface Task {
  group: 'scan' | 'archive' | 'restore';
  tool: string;
  /** What the step reads: read once, untimed, before it runs (see warm). */
  reads: string[];
  run(): Promise<Sample>;
}

/**
 * Reads the inputs of a step into the page cache, untimed. Each repetition writes some 20 GB, so
 * without this a tool read its input from the disk or from memory depending on what ran before
 * it; now every tool starts from the same state: input cached, no dirty pages (see timed). A cold
 * cache makes every tool as slow as the disk (docs/performance.md).
 */
function warm(paths: string[]): void {
  execFileSync('sh', ['-c', 'find "$@" -type f -print0 | xargs -0 cat > /dev/null', 'warm', ...paths]);
}

/**
 * After a repetition's outputs are deleted, waits until the file system is past the deletion.
 * On ext4 without a journal (this machine's root), for 60 s after inodes are freed the allocator
 * skips each recently deleted one when it creates a file: a step that creates 20 000 files right
 * after 20 000 were deleted spent most of its time there, whichever tool it was, which pulled every
 * ratio towards 1 (docs/performance.md). Outputs are therefore kept until the repetition ends.
 */
async function settle(): Promise<void> {
  execFileSync('sync');
  log('letting the file system settle after the deletion (61 s)');
  await new Promise((resolve) => setTimeout(resolve, 61_000));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  ensureTools();
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  await mkdir(WORK, { recursive: true });
  const cache: CacheInfo = await buildCache(path.join(WORK, `cache-${TREE}`), { files: FILES, oneMonth: ONE_MONTH }, log);
  log(`cache: ${cache.files} files, ${(cache.bytes / 1e9).toFixed(2)} GB, ${cache.distinct} distinct images (${(cache.distinctBytes / 1e6).toFixed(0)} MB distinct bytes)`);
  const src = cache.dir;
  const out = (name: string) => path.join(WORK, 'out', name);
  const fresh = async (p: string) => {
    await rm(p, { recursive: true, force: true });
    await mkdir(path.dirname(p), { recursive: true });
  };
  const restic = { RESTIC_PASSWORD: 'bench', RESTIC_CACHE_DIR: path.join(WORK, 'restic-cache') };
  const node = process.execPath;

  // Inputs for the restores, made once: a vault, a restic repository, an ordinary zip.
  const vault = out('vault-kept');
  const repo = out('restic-kept');
  const zipKept = out('kept.zip');
  await fresh(vault);
  timed(node, [BIN, 'archive', src, '--to', vault, '--quiet']);
  if (PEERS) {
    await fresh(repo);
    timed('restic', ['init', '-r', repo, '-q'], restic);
    timed('restic', ['backup', '-r', repo, '-q', src], restic);
    await fresh(zipKept);
    timed('7z', ['a', '-tzip', '-mx0', zipKept, src]);
  } else log('big tree: picvault alone (add --peers to run restic, 7-Zip, zip, unzip and cp on it too)');
  // Restoring everything writes the whole tree out again.
  const free = (() => {
    const st = statfsSync(WORK);
    return st.bavail * st.bsize;
  })();
  const restores = free > cache.bytes * 1.2;
  if (!restores) log(`restore skipped: it would write ${(cache.bytes / 1e9).toFixed(1)} GB and ${(free / 1e9).toFixed(1)} GB are free`);

  const allTasks: Task[] = [
    { group: 'scan', tool: 'picvault scan', reads: [src], run: async () => ({ ...timed(node, [BIN, 'scan', src, '--quiet', '--json']), bytes: 0 }) },
    {
      group: 'archive', tool: 'picvault archive', reads: [src], run: async () => {
        const v = out('vault');
        await fresh(v);
        return { ...timed(node, [BIN, 'archive', src, '--to', v, '--quiet']), bytes: du(v) };
      },
    },
    {
      group: 'archive', tool: 'restic backup', reads: [src], run: async () => {
        const r = out('restic');
        await fresh(r);
        timed('restic', ['init', '-r', r, '-q'], restic);
        return { ...timed('restic', ['backup', '-r', r, '-q', src], restic), bytes: du(r) };
      },
    },
    {
      group: 'archive', tool: '7z a -tzip -mx0', reads: [src], run: async () => {
        const z = out('7z.zip');
        await fresh(z);
        return { ...timed('7z', ['a', '-tzip', '-mx0', z, src]), bytes: du(z) };
      },
    },
    {
      group: 'archive', tool: 'zip -0 -r', reads: [src], run: async () => {
        const z = out('zip.zip');
        await fresh(z);
        return { ...timed('zip', ['-0', '-r', '-q', z, path.basename(src)], {}, path.dirname(src)), bytes: du(z) };
      },
    },
    {
      group: 'archive', tool: 'cp -r (floor)', reads: [src], run: async () => {
        const d = out('cp');
        await fresh(d);
        return { ...timed('cp', ['-r', src, d]), bytes: du(d) };
      },
    },
    {
      group: 'restore', tool: 'picvault restore', reads: [vault], run: async () => {
        const d = out('pv-restore');
        await fresh(d);
        return { ...timed(node, [BIN, 'restore', '--from', vault, '--to', d, '--quiet']), bytes: du(d) };
      },
    },
    {
      group: 'restore', tool: 'restic restore', reads: [repo], run: async () => {
        const d = out('restic-restore');
        await fresh(d);
        return { ...timed('restic', ['restore', '-r', repo, 'latest', '--target', d, '-q'], restic), bytes: du(d) };
      },
    },
    {
      group: 'restore', tool: 'unzip', reads: [zipKept], run: async () => {
        const d = out('unzip');
        await fresh(d);
        return { ...timed('unzip', ['-q', zipKept, '-d', d]), bytes: du(d) };
      },
    },
  ];

  const tasks = allTasks.filter((t) => (PEERS || t.tool.startsWith('picvault')) && (restores || t.group !== 'restore'));
  const removeOutputs = async () => {
    for (const d of ['vault', 'restic', '7z.zip', 'zip.zip', 'cp', 'pv-restore', 'restic-restore', 'unzip']) await rm(out(d), { recursive: true, force: true });
  };
  // What one repetition writes: the tree once per copy, unzip and restore, the distinct bytes per vault and repository.
  const perRep = tasks.reduce((n, t) => n + (t.group === 'scan' ? 0 : /picvault archive|restic backup/.test(t.tool) ? cache.distinctBytes : cache.bytes), 0);
  const keepOutputs = free > perRep * 1.2;
  if (!keepOutputs) log(`each step's output is removed before the next (a repetition would write ${(perRep / 1e9).toFixed(1)} GB): the steps that create files pay for the deletion (see settle)`);
  const samples = new Map<string, Sample[]>();
  for (let rep = 0; rep < REPS; rep++) {
    // Rotate the order each repetition so no tool always runs on a cold or a warm cache.
    const order = tasks.map((_, i) => tasks[(i + rep) % tasks.length]);
    for (const task of order) {
      log(`rep ${rep + 1}/${REPS}: ${task.tool}`);
      warm(task.reads);
      const s = await task.run();
      samples.set(task.tool, [...(samples.get(task.tool) ?? []), s]);
      if (!keepOutputs) await removeOutputs();
    }
    if (keepOutputs) {
      await removeOutputs();
      await settle();
    }
  }

  // A re-run of archive over the unchanged tree: it must read nothing it already hashed.
  warm([src, vault]);
  const rerunStart = timed(node, [BIN, 'archive', src, '--to', vault, '--quiet']);
  const rerun = JSON.parse(execFileSync(node, [BIN, 'archive', src, '--to', vault, '--json', '--quiet'], { maxBuffer: 1 << 28 }).toString()) as { selected: number; unchanged: number };

  const med = (tool: string) => {
    const xs = samples.get(tool)!;
    return { seconds: median(xs.map((x) => x.seconds)), runs: xs.map((x) => x.seconds), peakMB: Math.max(...xs.map((x) => x.peakMB)), bytes: median(xs.map((x) => x.bytes)) };
  };
  const rows = tasks.map((t) => ({ group: t.group, tool: t.tool, ...med(t.tool) }));
  const pv = (g: string) => rows.find((r) => r.tool.startsWith('picvault') && r.group === g)!;
  const lines: string[] = [];
  // Each run's time too, in the order run: on a shared VM one run can be far off the others.
  lines.push(`| step | tool | median s | runs s | peak MB | bytes written | picvault ÷ tool |`);
  lines.push(`|---|---|---:|---:|---:|---:|---:|`);
  for (const r of rows) {
    const ratio = r.tool.startsWith('picvault') ? '' : (pv(r.group).seconds / r.seconds).toFixed(2);
    lines.push(`| ${r.group} | ${r.tool} | ${r.seconds.toFixed(2)} | ${r.runs.map((x) => x.toFixed(1)).join(', ')} | ${r.peakMB.toFixed(0)} | ${(r.bytes / 1e6).toFixed(0)} MB | ${ratio} |`);
  }
  const by = (tool: string) => rows.find((r) => r.tool === tool);
  const ratio = (tool: string, peer: string) => (by(tool) && by(peer) ? by(tool)!.seconds / by(peer)!.seconds : null);
  const pvRows = rows.filter((r) => r.tool.startsWith('picvault'));
  const candidates: [string, number | null, number][] = [
    [`archive ≤ 0.5 × restic backup`, ratio('picvault archive', 'restic backup'), 0.5],
    [`archive < 7z a -tzip -mx0`, ratio('picvault archive', '7z a -tzip -mx0'), 1],
    [`vault bytes ≤ 1.02 × distinct bytes`, pv('archive').bytes / cache.distinctBytes, 1.02],
    [`restore ≤ 0.5 × unzip`, ratio('picvault restore', 'unzip'), 0.5],
    [`scan of ${cache.files} files < 1 s`, cache.files <= 20_000 ? pv('scan').seconds : null, 1],
    [`peak memory < 300 MB (${pvRows.map((r) => r.group).join(', ')}, re-run)`, Math.max(...pvRows.map((r) => r.peakMB), rerunStart.peakMB), 300],
  ];
  const checks = candidates.filter((c): c is [string, number, number] => c[1] !== null);
  lines.push('');
  lines.push(`| target | measured | met |`);
  lines.push(`|---|---:|---|`);
  for (const [name, value, limit] of checks) lines.push(`| ${name} | ${value.toFixed(2)} | ${value <= limit ? 'yes' : 'NO'} |`);
  lines.push(`| archive re-run over the unchanged tree reads nothing | ${rerun.unchanged}/${rerun.selected} unchanged, ${rerunStart.seconds.toFixed(2)} s | ${rerun.unchanged === rerun.selected ? 'yes' : 'NO'} |`);
  lines.push('', ...(await (await import('./dedupe.js')).benchDedupe(src, WORK, { reps: REPS, peers: PEERS, log }))); // dedupe beside jdupes, rdfind, findimagedupes (bench/dedupe.ts)
  const header = `bench: ${cache.files} files, ${(cache.bytes / 1e9).toFixed(2)} GB, ${cache.distinct} distinct images (${(cache.distinctBytes / 1e6).toFixed(0)} MB), ${REPS} repetitions, ${new Date().toISOString()}`;
  const report = [header, '', ...lines].join('\n');
  console.log(report);
  await writeFile(path.join(WORK, `results-${TREE}.md`), report + '\n');
  await rm(path.join(WORK, 'out'), { recursive: true, force: true });
}

await main();
if (process.argv.includes('--serve')) await import('./serve.js'); // the web page's figures (bench/serve.ts), after the archive and restore ones
