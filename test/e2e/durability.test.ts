import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { BIN } from '../helpers/cli.js';
import { buildTree } from '../helpers/images.js';
import { tempDir } from '../helpers/tmp.js';

/** Whether strace can trace a child here (a container may forbid ptrace). */
function straceWorks(): boolean {
  return spawnSync('strace', ['-f', '-o', '/dev/null', 'true']).status === 0;
}

interface Call {
  /** Order in the trace: a call counts from its completion (fsync) or its start (rename). */
  at: number;
  name: 'fsync' | 'rename';
  paths: string[];
}

/**
 * The fsync and rename calls of every thread, in the order the kernel saw them. With -f a call
 * another thread interrupts is split into "<unfinished ...>" and "<... resumed>" lines; an fsync
 * counts from the line that returns.
 */
function parseTrace(text: string): Call[] {
  const calls: Call[] = [];
  const pending = new Map<string, string>();
  text.split('\n').forEach((line, at) => {
    const tid = line.split(' ', 1)[0];
    const fsync = /fsync\(\d+<([^>]*)>(.*)$/.exec(line);
    if (fsync) {
      if (fsync[2].includes('<unfinished')) pending.set(tid, fsync[1]);
      else if (/= 0$/.test(fsync[2])) calls.push({ at, name: 'fsync', paths: [fsync[1]] });
      return;
    }
    const resumed = /<\.\.\. fsync resumed>.*= 0$/.test(line);
    if (resumed && pending.has(tid)) {
      calls.push({ at, name: 'fsync', paths: [pending.get(tid)!] });
      pending.delete(tid);
      return;
    }
    const rename = /rename(?:at2?)?\((?:[^"]*)"([^"]+)",(?:[^"]*)"([^"]+)"/.exec(line);
    if (rename) calls.push({ at, name: 'rename', paths: [rename[1], rename[2]] });
  });
  return calls;
}

test('every zip is flushed under its temporary name before it is renamed, and its folder after (SPEC invariant 2)', { skip: !straceWorks() && 'strace cannot trace here' }, async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 24, ['2024-01', '2024-02', '2024-03']);
  const vault = path.join(root, 'vault');
  const trace = path.join(root, 'trace.txt');
  execFileSync('strace', ['-f', '-qq', '-y', '-e', 'trace=fsync,rename,renameat,renameat2', '-o', trace, process.execPath, BIN, 'archive', src, '--to', vault, '--quiet'], {
    env: { ...process.env, LANG: 'en_US.UTF-8', NO_COLOR: '1', PICVAULT_VAULT: '' },
  });
  const calls = parseTrace(await readFile(trace, 'utf8'));
  const renames = calls.filter((c) => c.name === 'rename' && c.paths[0].endsWith('.zip.partial'));
  assert.equal(renames.length, 3, 'one zip a month');
  for (const r of renames) {
    const [tmp, final] = r.paths;
    assert.ok(
      calls.some((c) => c.name === 'fsync' && c.paths[0] === tmp && c.at < r.at),
      `${path.basename(tmp)} was flushed before it became ${path.basename(final)}`,
    );
    assert.ok(
      calls.some((c) => c.name === 'fsync' && c.paths[0] === path.dirname(final) && c.at > r.at),
      `the folder of ${path.basename(final)} was flushed after the rename`,
    );
  }
});
