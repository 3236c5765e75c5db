import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { BIN } from './cli.js';

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
