import { readFileSync } from 'node:fs';
import { errnoCode } from '../errors.js';

/**
 * Whether the process that left a lock or a temporary file is still running. `kill(pid, 0)`
 * alone says yes for a zombie (a process that has exited but was not yet reaped by its parent)
 * and for an unrelated process that was given the same pid later. Where the kernel shows its
 * processes in /proc (Linux), a zombie is told by its state and a reused pid by its start time.
 * Windows' kill(pid, 0) already says no for a process that has exited.
 */
interface ProcStat {
  state: string;
  /** Clock ticks after boot when the process started: with the pid, names one process. */
  start: string;
}

function procStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (name) state ppid ...": the name may hold spaces and parentheses, so fields count from
  // the last ')'. The start time is the 22nd field, the 20th after the name.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return fields.length > 19 ? { state: fields[0], start: fields[19] } : null;
}

/** This process's start marker, to record beside its pid (null where /proc is not there). */
export function ownStartMarker(): string | null {
  return procStat(process.pid)?.start ?? null;
}

/**
 * True when no process `pid` is running, or the one running is not the one that recorded
 * `start` (its pid was reused), or it is a zombie.
 */
export function processGone(pid: number, start?: string | null): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists, as another user's process.
    if (errnoCode(err) !== 'EPERM') return true;
  }
  const stat = procStat(pid);
  if (!stat) return false;
  if (stat.state === 'Z' || stat.state === 'X') return true;
  return typeof start === 'string' && start !== stat.start;
}
