import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EXIT, PicvaultError, errnoCode } from '../errors.js';
import { LOCK_FILE } from './layout.js';
import { ownStartMarker, processGone } from './process-alive.js';

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
  /** The holder's start marker where the system has one (process-alive.ts): a reused pid is told apart. */
  process?: string;
}

/** How often, and how far apart, an empty or unreadable lock is read again before it counts as left behind. */
const UNREADABLE_TRIES = 3;
const UNREADABLE_WAIT_MS = 50;

function parseLock(text: string): LockInfo | null {
  try {
    const info = JSON.parse(text) as Partial<LockInfo> | null;
    return typeof info?.pid === 'number' && typeof info.host === 'string' ? (info as LockInfo) : null;
  } catch {
    return null;
  }
}

/**
 * Makes the lock file with its content, or returns false when there is one. The content goes in
 * with one synchronous write straight after the exclusive create, so a live run's lock is empty
 * for microseconds at most; a write that fails (a full disk) removes the file it made, so it
 * cannot block the next run.
 */
function createLock(lockPath: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx');
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, content);
    closeSync(fd);
    return true;
  } catch (err) {
    closeSync(fd);
    rmSync(lockPath, { force: true });
    throw err;
  }
}

/**
 * The lock's text and holder. A lock that stays empty or unreadable over a few reads is one whose
 * writer died, or could not write it (a full disk, with an earlier picvault): holder null.
 */
async function readLock(lockPath: string): Promise<{ text: string | null; holder: LockInfo | null }> {
  for (let i = 1; ; i++) {
    const text = await readFile(lockPath, 'utf8').catch(() => null);
    const holder = text === null ? null : parseLock(text);
    if (holder || text === null || i === UNREADABLE_TRIES) return { text, holder };
    await sleep(UNREADABLE_WAIT_MS);
  }
}

/**
 * Takes VAULT/.lock with an exclusive create. A lock left by a run that died on this host (its
 * pid is gone, a zombie, or now another process's) or that holds no readable holder is stale and
 * taken over, so the next run can finish the work (SPEC invariant 2). A lock from another host
 * cannot be judged and is respected.
 */
export async function acquireLock(vault: string): Promise<() => Promise<void>> {
  const lockPath = path.join(vault, LOCK_FILE);
  const marker = ownStartMarker();
  const me: LockInfo = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), ...(marker !== null && { process: marker }) };
  const release = async () => rmSync(lockPath, { force: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    if (createLock(lockPath, JSON.stringify(me))) return release;
    const { text, holder } = await readLock(lockPath);
    const stale = holder === null || (holder.host === me.host && processGone(holder.pid, holder.process));
    if (!stale) {
      throw new PicvaultError('vault.locked', { pid: holder.pid, host: holder.host, since: holder.startedAt ?? '?', lock: lockPath }, EXIT.locked);
    }
    // Removed only if it is still the lock judged stale: another run may have taken it over since.
    if ((await readFile(lockPath, 'utf8').catch(() => null)) === text) rmSync(lockPath, { force: true });
  }
  throw new PicvaultError('vault.locked', { pid: '?', host: '?', since: '?', lock: lockPath }, EXIT.locked);
}

/**
 * Whether a live run holds VAULT's lock, for readers that take no lock (`catalog log`, serve): a
 * run the log calls running while none does was killed. A lock from another host counts as live.
 */
export function lockHeld(vault: string): boolean {
  let text: string;
  try {
    text = readFileSync(path.join(vault, LOCK_FILE), 'utf8');
  } catch {
    return false;
  }
  const holder = parseLock(text);
  // Empty for the microseconds after its create: being taken, so held.
  if (!holder) return text === '';
  return holder.host !== os.hostname() || !processGone(holder.pid, holder.process);
}
