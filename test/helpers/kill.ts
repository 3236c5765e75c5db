import { spawn } from 'node:child_process';
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

/** The real binary, SIGKILLed the moment `watched` is deleted: a kill inside a clean's deletes. */
export function runKilledWhenGone(args: string[], watched: string, env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore', env });
    const poll = setInterval(() => {
      stat(watched).catch(() => child.kill('SIGKILL'));
    }, 2);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve(code);
    });
  });
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
