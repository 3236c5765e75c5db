import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { BIN } from './cli.js';
import { snapshot } from './images.js';

/** The real binary, SIGKILLed after `ms`: its exit code (null when the kill landed). */
export function runKilledAfter(args: string[], ms: number, env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore', env });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** The real binary, sent `signal` (SIGKILL unless said) the first time `ready()` says so, polled every 2 ms: its exit code (null when a kill landed). */
export function runSignalledWhen(args: string[], ready: () => Promise<boolean>, env: NodeJS.ProcessEnv, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore', env });
    let sent = false;
    const poll = setInterval(() => {
      if (!sent) void ready().then((yes) => yes && !sent && (sent = true) && child.kill(signal));
    }, 2);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve(code);
    });
  });
}

/**
 * The real binary, sent `signal` the moment a file goes from one of `dirs`: a clean deletes a batch
 * of small files in a few milliseconds, faster than a poll sees, so a watcher process of its own
 * (inotify, an idle event loop: no test's work in its way) sends the signal.
 */
export async function runSignalledAtFirstDelete(args: string[], dirs: string[], env: NodeJS.ProcessEnv, signal: NodeJS.Signals): Promise<number | null> {
  // Watching before the run starts: it is told the run's pid once it says it is ready.
  const watcher = spawn(process.execPath, ['-e', WATCHER, signal, ...dirs], { stdio: ['pipe', 'pipe', 'ignore'] });
  await once(watcher.stdout, 'data');
  const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore', env });
  watcher.stdin.end(String(child.pid));
  const [code] = (await once(child, 'exit')) as [number | null];
  watcher.kill();
  return code;
}

const WATCHER = `
const [signal, ...dirs] = process.argv.slice(1);
let pid = '';
process.stdin.on('data', (d) => (pid += d));
const stop = () => {
  try { process.kill(Number(pid), signal); } catch {}
  process.exit(0);
};
for (const d of dirs) require('node:fs').watch(d, stop);
process.stdout.write('ready');
`;

/** The real binary, sent `signal` (SIGKILL unless said) the moment `watched` is deleted: a signal inside a clean's deletes. */
export function runKilledWhenGone(args: string[], watched: string, env: NodeJS.ProcessEnv, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
  return runSignalledWhen(args, () => stat(watched).then(() => false, () => true), env, signal);
}

/**
 * Kills a clean again and again, each time the moment a random one of the files it may delete
 * goes, until a run finishes or `times` kills have landed; `afterKill` checks the tree and says how
 * many files are gone. Returns those counts, one per kill.
 */
export async function killBetweenDeletes(o: {
  args: string[];
  env: NodeJS.ProcessEnv;
  src: string;
  times: number;
  deletable?: (rel: string) => boolean;
  afterKill: (kill: number) => Promise<number>;
}): Promise<number[]> {
  const kills: number[] = [];
  for (let i = 0; i < o.times; i++) {
    const remaining = [...(await snapshot(o.src)).keys()].filter(o.deletable ?? (() => true));
    if (remaining.length === 0) break;
    const watched = remaining[Math.floor(Math.random() * remaining.length)];
    const code = await runKilledWhenGone(o.args, path.join(o.src, watched), o.env);
    kills.push(await o.afterKill(i));
    if (code === 0) break;
  }
  return kills;
}
