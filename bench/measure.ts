import { execFileSync, spawnSync } from 'node:child_process';
import { statfsSync } from 'node:fs';
import path from 'node:path';

/** One timed run of one step: wall seconds, peak resident memory, bytes it wrote. */
export interface Sample {
  seconds: number;
  peakMB: number;
  bytes: number;
  /** Anything else a step wants in its row (clean's read-back figures). */
  note?: string;
}

export const log = (s: string) => process.stderr.write(s + '\n');
export const GB = (n: number) => `${(n / 1e9).toFixed(1)} GB`;

/** The peers, installed with apt when missing (the bench says so). */
export function ensureTools(): void {
  const need: Record<string, string> = { restic: 'restic', '7z': 'p7zip-full', zip: 'zip', unzip: 'unzip', '/usr/bin/time': 'time' };
  const missing = Object.entries(need).filter(([cmd]) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0);
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map(([, p]) => p))];
  log(`installing the peers with apt: ${pkgs.join(' ')}`);
  execFileSync('apt-get', ['update'], { stdio: 'ignore' });
  execFileSync('apt-get', ['install', '-y', ...pkgs], { stdio: 'ignore' });
}

export const du = (p: string) => Number(execFileSync('du', ['-sb', p]).toString().split('\t')[0]);

export function freeBytes(dir: string): number {
  const st = statfsSync(dir);
  return st.bavail * st.bsize;
}

export interface TimedOptions {
  env?: NodeJS.ProcessEnv;
  cwd: string;
  /** Where the command's standard output goes (a --json document to read back); otherwise dropped. */
  stdout?: string;
}

/**
 * Runs one command under GNU time: wall seconds and peak resident memory. Dirty pages left by the
 * step before are flushed first (untimed): each tool starts with the same empty write-back queue
 * instead of paying for its predecessor's writes.
 */
export function timed(cmd: string, args: string[], options: TimedOptions): Omit<Sample, 'bytes'> {
  execFileSync('sync');
  const out = path.join(options.cwd, 'time.txt');
  const redirect = options.stdout ? ['sh', '-c', 'out="$1"; shift; exec "$@" > "$out"', 'timed', options.stdout] : [];
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', out, ...redirect, cmd, ...args], {
    cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.toString().slice(-2000)}`);
  const [seconds, kb] = execFileSync('tail', ['-1', out]).toString().trim().split(' ').map(Number);
  return { seconds, peakMB: kb / 1024 };
}

/**
 * Reads the inputs of a step into the page cache, untimed. Each repetition writes some 20 GB, so
 * without this a tool read its input from the disk or from memory depending on what ran before
 * it; now every tool starts from the same state: input cached, no dirty pages (see timed). A cold
 * cache makes every tool as slow as the disk (docs/performance.md).
 */
export function warm(paths: string[]): void {
  if (paths.length > 0) execFileSync('sh', ['-c', 'find "$@" -type f -print0 | xargs -0 cat > /dev/null', 'warm', ...paths]);
}

/**
 * After a repetition's outputs are deleted, waits until the file system is past the deletion.
 * On ext4 without a journal (this machine's root), for 60 s after inodes are freed the allocator
 * skips each recently deleted one when it creates a file: a step that creates 20 000 files right
 * after 20 000 were deleted spent most of its time there, whichever tool it was, which pulled every
 * ratio towards 1 (docs/performance.md). Outputs are therefore kept until the repetition ends.
 */
export async function settle(): Promise<void> {
  execFileSync('sync');
  log('letting the file system settle after the deletion (61 s)');
  await new Promise((resolve) => setTimeout(resolve, 61_000));
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
