import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/picvault.js', import.meta.url));

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Run as this uid/gid (root only): permission tests need a user the kernel refuses. */
  uid?: number;
  gid?: number;
  cwd?: string;
}

/** The environment a user's run gets: English unless the test says otherwise, no colour, no default vault. */
export const userEnv = (env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '', NO_COLOR: '1', PICVAULT_VAULT: '', ...env });

/** The real binary, spawned as a user runs it (English, no colour, no terminal). */
export function picvault(args: string[], options: RunOptions = {}): Promise<Run> {
  return ran(spawn(process.execPath, [BIN, ...args], { env: userEnv(options.env), uid: options.uid, gid: options.gid, cwd: options.cwd }));
}

/** What a spawned process printed, and how it ended. */
export function ran(child: ChildProcessWithoutNullStreams): Promise<Run> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export const isRoot = () => process.getuid?.() === 0;

/** Runs `mount` with these arguments; false where this machine does not let a test mount (not root, a container). */
export function tryMount(...args: string[]): boolean {
  try {
    execFileSync('mount', args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
export const NOBODY = 65534;

/** Bad input or a stopped run, as the user sees it: the expected code, one line on stderr, no stack trace. */
export function assertClean(r: Run, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, `exit ${r.code}: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at |Error:/);
}
