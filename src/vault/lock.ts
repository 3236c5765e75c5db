import { open, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EXIT, PicvaultError, errnoCode } from '../errors.js';
import { LOCK_FILE } from './layout.js';

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) === 'EPERM';
  }
}

/**
 * Takes VAULT/.lock with an exclusive create. A lock left by a run that was killed on this host
 * (its pid is gone) is stale and taken over, so the next run can finish the work (SPEC invariant
 * 2). A lock from another host cannot be judged and is respected.
 */
export async function acquireLock(vault: string): Promise<() => Promise<void>> {
  const lockPath = path.join(vault, LOCK_FILE);
  const me: LockInfo = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(JSON.stringify(me));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
    }
    const holder = await readFile(lockPath, 'utf8')
      .then((t) => JSON.parse(t) as LockInfo)
      .catch(() => null);
    // An unreadable lock is one whose writer died between creating and filling it.
    const stale =
      holder === null
        ? await stat(lockPath).then((s) => Date.now() - s.mtimeMs > 5000, () => true)
        : holder.host === me.host && !isAlive(holder.pid);
    if (!stale) {
      throw new PicvaultError(
        'vault.locked',
        { pid: holder?.pid ?? '?', host: holder?.host ?? '?', since: holder?.startedAt ?? '?', lock: lockPath },
        EXIT.locked,
      );
    }
    await rm(lockPath, { force: true });
  }
  throw new PicvaultError('vault.locked', { pid: '?', host: '?', since: '?', lock: lockPath }, EXIT.locked);
}
