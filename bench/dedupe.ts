/**
 * dedupe beside the duplicate finders a user would otherwise run, on the same files, alternating
 * and repeated (SPEC "Performance"):
 * - identical and same-picture tiers: `picvault dedupe TREE` against `jdupes -r TREE` and
 *   `rdfind -dryrun true TREE` (Debian's packages): at most their time;
 * - similar: `picvault dedupe PICTURES --similar` against `findimagedupes -R PICTURES`, on
 *   chat-sized pictures made from the corpus photos: faster, and at least 200 pictures a second;
 *   then the same with a vault, twice: the second run takes the pictures' looks from the catalogue;
 * - peak memory of every picvault run under 300 MB.
 *
 * bench/run.ts calls benchDedupe once per cache shape; alone:
 *   node --import tsx bench/dedupe.ts [--files N] [--reps R] [--pictures N] [--peers] [--keep-trees]
 * (past 20 000 files the tree is hard-linked, see bench/cache.ts, and picvault runs alone unless
 * --peers: jdupes and rdfind treat hard links their own ways).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { sampleImage } from '../src/core/demo-cache.js';
import { mapLimit } from '../src/engine/pool.js';
import { buildCache, exists, LINKS_ABOVE } from './cache.js';
import { CORPUS } from './labelled-set.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'picvault.js');

export interface DedupeBenchOptions {
  reps?: number;
  /** Chat-sized pictures for the similar tier (default 1 000). */
  pictures?: number;
  /** Run jdupes, rdfind and findimagedupes too (default: yes). */
  peers?: boolean;
  log?: (line: string) => void;
}

interface Run {
  seconds: number;
  /** User and system CPU seconds: on a shared machine, wall time waits for the other tenants too. */
  cpu: number;
  peakMB: number;
}

/** One command under GNU time, its output thrown away: wall and CPU seconds, peak resident memory. */
function measure(work: string, cmd: string, args: string[]): Run {
  execFileSync('sync');
  const out = path.join(work, 'dedupe-time.txt');
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', out, cmd, ...args], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  // jdupes and findimagedupes exit 0 with or without duplicates; picvault exits 0 when nothing was unreadable.
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.toString().slice(-2000)}`);
  const [seconds, user, system, kb] = execFileSync('tail', ['-1', out]).toString().trim().split(' ').map(Number);
  return { seconds, cpu: user + system, peakMB: kb / 1024 };
}

/** Reads a tree once, untimed: every tool starts with its input in the page cache (see bench/run.ts). */
const warm = (dir: string) => execFileSync('sh', ['-c', 'find "$1" -type f -print0 | xargs -0 cat > /dev/null', 'warm', dir]);

function ensurePeers(log: (line: string) => void): void {
  const need: Record<string, string> = { jdupes: 'jdupes', rdfind: 'rdfind', findimagedupes: 'findimagedupes', '/usr/bin/time': 'time' };
  const missing = Object.entries(need).filter(([cmd]) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0);
  if (missing.length === 0) return;
  log(`installing the peers with apt: ${missing.map(([, p]) => p).join(' ')}`);
  execFileSync('apt-get', ['update'], { stdio: 'ignore' });
  execFileSync('apt-get', ['install', '-y', ...missing.map(([, p]) => p)], { stdio: 'ignore' });
}

const PHOTOS = [
  'exif-samples/jpg/hdr/iphone_hdr_YES.jpg', 'exif-samples/jpg/mobile/jolla.jpg', 'exif-samples/jpg/tests/30-type_error.jpg',
  'exif-samples/jpg/tests/45-gps_ifd.jpg', 'wechat-dat2picture/sample/color.jpg', 'pillow/Tests/images/exif_typeerror.jpg',
];

/** Where the chat-sized pictures of one count are made (and kept, like the caches, until removed). */
const picturesFolder = (dir: string, count: number) => path.join(dir, `pictures-${count}`);

/**
 * Chat-sized pictures, made once and kept: three in four a photo as a chat sends it (a crop of a
 * corpus photo at 1080, 720 or 480 px on its long side, JPEG quality 70-80), one in four a sticker
 * (240 px PNG or GIF). Every picture differs; some are near copies of others, as in a chat.
 */
async function chatPictures(dir: string, count: number, log: (line: string) => void): Promise<string> {
  const folder = picturesFolder(dir, count);
  if ((await readdir(folder).catch(() => [])).length === count) return folder;
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  log(`making ${count} chat-sized pictures in ${folder}`);
  const photos = await Promise.all(PHOTOS.map((p) => sharp(path.join(CORPUS, p), { autoOrient: true }).resize({ width: 2000, height: 2000, fit: 'inside' }).toBuffer({ resolveWithObject: true })));
  await mapLimit(Array.from({ length: count }, (_, i) => i), 4, async (i) => {
    if (i % 4 === 3) return writeFile(path.join(folder, `sticker-${i}.${i % 8 === 3 ? 'gif' : 'png'}`), await sampleImage(i, i % 8 === 3 ? 'gif' : 'png', 240));
    const { data, info } = photos[i % photos.length];
    const share = 0.55 + ((i * 37) % 40) / 100;
    const width = Math.round(info.width * share);
    const height = Math.round(info.height * share);
    const left = Math.round((info.width - width) * (((i * 13) % 10) / 10));
    const top = Math.round((info.height - height) * (((i * 7) % 10) / 10));
    const side = [1080, 720, 480][i % 3];
    const bytes = await sharp(data).extract({ left, top, width, height }).resize({ width: side, height: side, fit: 'inside' }).jpeg({ quality: 70 + (i % 11) }).toBuffer();
    await writeFile(path.join(folder, `photo-${i}.jpg`), bytes);
  });
  return folder;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The dedupe rows of the bench on one tree (`tree`, a cache of bench/cache.ts): a markdown table
 * and the SPEC's targets, as lines. `work` is the bench's folder; what is made there is removed,
 * but for the chat-sized pictures, kept like the caches.
 */
export async function benchDedupe(tree: string, work: string, options: DedupeBenchOptions = {}): Promise<string[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const reps = options.reps ?? 3;
  const peers = options.peers ?? true;
  if (peers) ensurePeers(log);
  const scratch = path.join(work, 'dedupe-out');
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  const pictures = await chatPictures(work, options.pictures ?? 1000, log);
  const pictureCount = (await readdir(pictures)).length;
  const vault = path.join(scratch, 'vault');
  const node = process.execPath;
  const picvaultRun = (args: string[]) => measure(scratch, node, [BIN, ...args, '--quiet']);
  try {
    // An empty vault for the similar runs that keep looks: archive of an empty folder makes one.
    await mkdir(path.join(scratch, 'empty'));
    execFileSync(node, [BIN, 'archive', path.join(scratch, 'empty'), '--to', vault, '--quiet']);
    const tasks: { step: string; tool: string; input: string; run: () => Promise<Run> | Run; reset?: () => Promise<void> }[] = [
      { step: 'identical + same picture', tool: 'picvault dedupe', input: tree, run: () => picvaultRun(['dedupe', tree]) },
      { step: 'identical + same picture', tool: 'jdupes -r', input: tree, run: () => measure(scratch, 'jdupes', ['-r', '-q', tree]) },
      { step: 'identical + same picture', tool: 'rdfind', input: tree, run: () => measure(scratch, 'rdfind', ['-dryrun', 'true', '-outputname', path.join(scratch, 'rdfind.txt'), tree]) },
      { step: 'similar', tool: 'picvault dedupe --similar', input: pictures, run: () => picvaultRun(['dedupe', pictures, '--similar']) },
      { step: 'similar', tool: 'findimagedupes -R', input: pictures, run: () => measure(scratch, 'findimagedupes', ['-R', '-q', pictures]) },
      {
        step: 'similar', tool: 'picvault dedupe --similar --vault (first)', input: pictures,
        reset: () => resetLooks(vault), run: () => picvaultRun(['dedupe', pictures, '--similar', '--vault', vault]),
      },
      { step: 'similar', tool: 'picvault dedupe --similar --vault (looks kept)', input: pictures, run: () => picvaultRun(['dedupe', pictures, '--similar', '--vault', vault]) },
    ].filter((t) => peers || t.tool.startsWith('picvault'));
    const samples = new Map<string, Run[]>();
    for (let rep = 0; rep < reps; rep++) {
      for (const task of tasks) {
        log(`dedupe rep ${rep + 1}/${reps}: ${task.tool}`);
        await task.reset?.();
        warm(task.input);
        samples.set(task.tool, [...(samples.get(task.tool) ?? []), await task.run()]);
      }
    }
    const med = (tool: string) => {
      const runs = samples.get(tool);
      return runs && { seconds: median(runs.map((r) => r.seconds)), cpu: median(runs.map((r) => r.cpu)), runs: runs.map((r) => r.seconds), peakMB: Math.max(...runs.map((r) => r.peakMB)) };
    };
    const lines = ['| step | tool | median s | runs s | CPU s | peak MB | pictures/s | picvault ÷ tool |', '|---|---|---:|---:|---:|---:|---:|---:|'];
    for (const task of tasks) {
      const m = med(task.tool)!;
      const ours = med(task.step === 'similar' ? 'picvault dedupe --similar' : 'picvault dedupe')!;
      const rate = task.step === 'similar' ? (pictureCount / m.seconds).toFixed(0) : '';
      const ratio = task.tool.startsWith('picvault') ? '' : (ours.seconds / m.seconds).toFixed(2);
      lines.push(`| ${task.step} | ${task.tool} | ${m.seconds.toFixed(2)} | ${m.runs.map((x) => x.toFixed(1)).join(', ')} | ${m.cpu.toFixed(2)} | ${m.peakMB.toFixed(0)} | ${rate} | ${ratio} |`);
    }
    const ratio = (a: string, b: string) => (med(a) && med(b) ? med(a)!.seconds / med(b)!.seconds : null);
    const ours = tasks.filter((t) => t.tool.startsWith('picvault')).map((t) => med(t.tool)!);
    // [target, measured, limit, whether the limit itself fails]
    const checks: [string, number | null, number, boolean][] = [
      ['dedupe ≤ jdupes -r', ratio('picvault dedupe', 'jdupes -r'), 1, false],
      ['dedupe ≤ rdfind', ratio('picvault dedupe', 'rdfind'), 1, false],
      ['dedupe --similar < findimagedupes', ratio('picvault dedupe --similar', 'findimagedupes -R'), 1, true],
      [`≥ 200 pictures a second: seconds per 200 of ${pictureCount} chat-sized pictures`, (200 * med('picvault dedupe --similar')!.seconds) / pictureCount, 1, false],
      ['dedupe peak memory < 300 MB', Math.max(...ours.map((o) => o.peakMB)), 300, true],
    ];
    lines.push('', '| dedupe target | measured | met |', '|---|---:|---|');
    for (const [name, value, limit, strict] of checks) {
      if (value !== null) lines.push(`| ${name} | ${value.toFixed(2)} | ${(strict ? value < limit : value <= limit) ? 'yes' : 'NO'} |`);
    }
    return lines;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The vault forgets every picture's looks: the next --similar run computes and keeps them again. */
async function resetLooks(vault: string): Promise<void> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path.join(vault, 'picvault.db'));
  db.exec('DELETE FROM picture_looks');
  db.close();
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const files = Number(arg('files', '20000'));
  const work = path.resolve(arg('dir', path.join(ROOT, '.bench')));
  const peers = files <= LINKS_ABOVE || process.argv.includes('--peers');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  await mkdir(work, { recursive: true });
  const treeDir = path.join(work, `cache-${files}`);
  const pictures = Number(arg('pictures', '1000'));
  const cache = await buildCache(treeDir, { files }, (s) => process.stderr.write(s + '\n'));
  const lines = await benchDedupe(cache.dir, work, { reps: Number(arg('reps', peers ? '3' : '1')), pictures, peers });
  const report = [`dedupe bench: ${cache.files} files, ${(cache.bytes / 1e9).toFixed(2)} GB, ${cache.distinct} distinct images, ${new Date().toISOString()}`, '', ...lines].join('\n');
  console.log(report);
  if (await exists(work)) await writeFile(path.join(work, `results-dedupe-${files}.md`), report + '\n');
  // As npm run bench does: the trees (3.6 GB at 20 000 files) go unless asked to stay for the next run.
  if (!process.argv.includes('--keep-trees')) {
    await rm(treeDir, { recursive: true, force: true });
    await rm(picturesFolder(work, pictures), { recursive: true, force: true });
  }
}
