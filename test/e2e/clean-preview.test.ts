import assert from 'node:assert/strict';
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { buildTree, snapshot } from '../helpers/images.js';
import { picvault } from '../helpers/cli.js';
import { inTerminal } from '../helpers/terminal.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The contact sheet shows the user's private pictures: mode 0600, in a folder only they can open,
 * made only to be looked at while clean asks, and gone once the question is answered (yes, no or
 * Ctrl-C); a file the user names with --preview is theirs to keep.
 */
async function archived() {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 3, ['2024-03']);
  const vault = path.join(root, 'vault');
  const tmp = path.join(root, 'tmp');
  await mkdir(tmp);
  const env = { PICVAULT_DEVICE: 'pc', TMPDIR: tmp };
  assert.equal((await picvault(['archive', src, '--to', vault], { env })).code, 0);
  return { root, src, vault, tmp, env };
}

const mode = async (p: string) => ((await stat(p)).mode & 0o777).toString(8);

/** Runs the binary on a terminal, answers its question (or Ctrl-C), and reports what was in `tmp` while it asked. */
const onTerminal = (args: string[], answer: string, tmp: string, env: NodeJS.ProcessEnv) =>
  inTerminal(args, answer === 'ctrl-c' ? '\x03' : `${answer}\r`, { look: tmp, env });

test('asked on a terminal: the preview is 0600 in a 0700 folder while clean asks, and gone after no, Ctrl-C or yes', async (t) => {
  if (process.platform === 'win32') return t.skip('a pty and POSIX modes');
  const { src, vault, tmp, env } = await archived();
  const before = await snapshot(src);
  for (const answer of ['n', 'ctrl-c']) {
    const r = await onTerminal(['clean', src, '--vault', vault], answer, tmp, env);
    const entries = Object.entries(r.seen ?? {});
    assert.equal(entries.length, 2, r.out);
    const [[dir, dirMode], [file, fileMode]] = entries.sort();
    assert.match(dir, /^picvault-preview-/);
    assert.deepEqual([dirMode, file, fileMode], ['700', `${dir}/preview.png`, '600']);
    assert.ok(r.out.includes(path.join(tmp, file)), 'the question says where the preview is');
    assert.equal(r.code, answer === 'n' ? 0 : 130, r.out);
    assert.deepEqual(await readdir(tmp), [], `nothing left after ${answer}`);
    assert.deepEqual(await snapshot(src), before, 'nothing deleted');
  }
  const yes = await onTerminal(['clean', src, '--vault', vault], 'y', tmp, env);
  assert.equal(yes.code, 0, yes.out);
  assert.match(yes.out, /3 files deleted/);
  assert.deepEqual(await readdir(tmp), []);
});

test('off a terminal: no preview unless --preview FILE names one, which is written 0600 and kept', async () => {
  const { root, src, vault, tmp, env } = await archived();
  const refused = await picvault(['clean', src, '--vault', vault], { env });
  assert.equal(refused.code, 2, refused.stderr);
  assert.deepEqual(await readdir(tmp), [], 'a refused run writes no preview');
  const named = path.join(root, 'sheet.png');
  assert.equal((await picvault(['clean', src, '--vault', vault, '--preview', named], { env })).code, 2);
  assert.equal(await mode(named), '600');
  const done = await picvault(['clean', src, '--vault', vault, '--yes', '--json'], { env });
  assert.equal(done.code, 0, done.stderr);
  assert.equal(JSON.parse(done.stdout).preview, null);
  assert.deepEqual(await readdir(tmp), [], 'clean --yes writes no preview to the temporary folder');
});
