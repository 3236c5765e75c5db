import { spawnSync } from 'node:child_process';

/** Whether strace can trace a child here (a container may forbid ptrace). */
export const straceWorks = () => process.platform === 'linux' && spawnSync('strace', ['-f', '-o', '/dev/null', 'true']).status === 0;

/**
 * Bytes read per file from `strace -f -y -e trace=read,pread64` output, by every thread: a call
 * another thread interrupts is printed in two lines, its file on the first and its count on the
 * second.
 */
export function bytesReadPerFile(lines: readonly string[]): Map<string, number> {
  const read = new Map<string, number>();
  const pending = new Map<string, string>();
  for (const line of lines) {
    const [pid] = line.split(' ', 1);
    const call = /\b(?:pread64|read)\(\d+<([^>]+)>/.exec(line);
    if (call && line.endsWith('<unfinished ...>')) pending.set(pid, call[1]);
    const file = call?.[1] ?? (/<\.\.\. (?:pread64|read) resumed>/.test(line) ? pending.get(pid) : undefined);
    const got = / = (\d+)$/.exec(line);
    if (file && got) read.set(file, (read.get(file) ?? 0) + Number(got[1]));
  }
  return read;
}
