import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { buildTree } from '../helpers/images.js';
import { picvault, type Run } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const ZH = { LANG: 'zh_CN.UTF-8' };

async function archived() {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 8, ['2024-03', '2024-04']);
  const vault = path.join(root, 'vault');
  // clean's preview goes to the temp folder: this test's own.
  const env = { PICVAULT_DEVICE: 'pc', TMPDIR: root };
  return { root, src, vault, env };
}

/** One JSON document on stdout: the whole of it parses. */
function doc(r: Run, code = 0): Record<string, unknown> {
  assert.equal(r.code, code, r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** A document's field names, and for each list its items' field names: what a script relies on. */
function fields(d: unknown): unknown {
  if (Array.isArray(d)) return d.length > 0 ? [fields(d[0])] : [];
  if (d !== null && typeof d === 'object') return Object.fromEntries(Object.entries(d).map(([k, v]) => [k, fields(v)]).sort());
  return typeof d;
}

/** Field names only, lists included only where both runs have items (a dry run of nothing has none). */
function sameFields(dry: unknown, real: unknown, where = ''): void {
  if (Array.isArray(dry) && Array.isArray(real)) {
    if (dry.length > 0 && real.length > 0) sameFields(dry[0], real[0], `${where}[0]`);
    return;
  }
  const isObject = (v: unknown) => v !== null && typeof v === 'object';
  if (isObject(dry) && isObject(real)) {
    assert.deepEqual(Object.keys(dry as object).sort(), Object.keys(real as object).sort(), `fields of ${where || 'the document'}`);
    for (const k of Object.keys(dry as object)) sameFields((dry as Record<string, unknown>)[k], (real as Record<string, unknown>)[k], `${where}.${k}`);
  }
}

test('with --json, a failure is one JSON object on stdout, usage errors included, in the user\'s language', async () => {
  const { root, src } = await archived();
  const cases: [string[], number, RegExp][] = [
    [['scan', src, '--bogus', '--json'], 2, /^unknown option --bogus; see picvault scan --help$/],
    [['--json', 'frobnicate'], 2, /^unknown command frobnicate/],
    [['scan', src, '--before', '2024-13', '--json'], 2, /^--before wants YYYY-MM or YYYY-MM-DD/],
    [['catalog', 'months', '--vault', src, '--json'], 10, /^not a picvault vault/],
    [['archive', src, '--to', 'D:\\vault', '--json'], 2, /is a Windows path/],
    [['verify', '--json'], 2, /^name the vault with --vault DIR/],
  ];
  for (const [args, exit, message] of cases) {
    const r = await picvault(args, { cwd: root });
    assert.equal(r.stderr, '', args.join(' '));
    const { error } = doc(r, exit) as { error: { exit: number; message: string } };
    assert.equal(error.exit, exit);
    assert.match(error.message, message);
  }
  const zh = await picvault(['scan', src, '--bogus', '--json'], { env: ZH });
  assert.deepEqual(doc(zh, 2), { error: { exit: 2, message: '未知选项 --bogus；请参阅 picvault scan --help' } });
});

test('archive, clean and restore print the same fields in a dry run and a real one', async () => {
  const { root, src, vault, env } = await archived();
  const archiveDry = doc(await picvault(['archive', src, '--to', vault, '--dry-run', '--json'], { env }));
  const archiveReal = doc(await picvault(['archive', src, '--to', vault, '--json'], { env }));
  assert.equal(archiveDry.dryRun, true);
  assert.equal(archiveReal.dryRun, false);
  sameFields(archiveDry, archiveReal);

  const cleanDry = doc(await picvault(['clean', src, '--vault', vault, '--month', '2024-03', '--dry-run', '--json'], { env }));
  const cleanReal = doc(await picvault(['clean', src, '--vault', vault, '--month', '2024-03', '--yes', '--json'], { env }));
  sameFields(cleanDry, cleanReal);
  assert.deepEqual([cleanDry.dryRun, cleanReal.dryRun], [true, false]);
  assert.deepEqual([cleanDry.deleted, cleanReal.deleted], [4, 4]);
  const paths = (d: Record<string, unknown>) => (d.files as { path: string }[]).map((f) => f.path).sort();
  assert.deepEqual(paths(cleanReal), paths(cleanDry), 'a real clean lists what it deleted, as the dry run lists what would go');
  assert.equal(cleanDry.bytes, cleanReal.bytes);

  const restoreDry = doc(await picvault(['restore', '--from', vault, '--month', '2024-03', '--dry-run', '--json'], { env }));
  const restoreReal = doc(await picvault(['restore', '--from', vault, '--month', '2024-03', '--json'], { env }));
  sameFields(restoreDry, restoreReal);
  assert.deepEqual(fields(restoreDry.items), fields(restoreReal.items));
  assert.deepEqual([restoreDry.restored, restoreReal.restored], [4, 4]);

  // archive --clean: one document holding both results; its dry run has no clean to show.
  const both = doc(await picvault(['archive', src, '--to', vault, '--clean', '--yes', '--json'], { env }));
  assert.deepEqual(Object.keys(both).sort(), ['archive', 'clean']);
  assert.deepEqual(Object.keys(both.clean as object).sort(), Object.keys(cleanReal).sort());
  assert.equal((both.archive as Record<string, unknown>).dryRun, false);
  const bothDry = doc(await picvault(['archive', src, '--to', path.join(root, 'other'), '--clean', '--dry-run', '--json'], { env }));
  assert.deepEqual(Object.keys(bothDry).sort(), ['archive', 'clean']);
  assert.equal(bothDry.clean, null);
});

test('catalog: devices is an object like months; list and log are JSON lines, and help says so', async () => {
  const { src, vault, env } = await archived();
  assert.equal((await picvault(['archive', src, '--to', vault], { env })).code, 0);
  assert.equal((await picvault(['restore', '--from', vault, '--month', '2024-04', '--dry-run'], { env })).code, 0);
  const months = doc(await picvault(['catalog', 'months', '--vault', vault, '--json']));
  assert.deepEqual(Object.keys(months).sort(), ['months', 'totals']);
  const devices = doc(await picvault(['catalog', 'devices', '--vault', vault, '--json']));
  assert.deepEqual(Object.keys(devices), ['devices']);
  assert.deepEqual((devices.devices as { device: string; files: number }[]).map((d) => [d.device, d.files]), [['pc', 8]]);

  const log = await picvault(['catalog', 'log', '--vault', vault, '--json']);
  const runs = log.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(runs.map((r) => r.command), ['archive']);
  const list = await picvault(['catalog', 'list', '--vault', vault, '--json']);
  const places = list.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(places.length, 8);
  const show = doc(await picvault(['catalog', 'show', places[0].hash, '--vault', vault, '--json']));
  assert.deepEqual(Object.keys(show.image as object).sort(), ['archive', 'damage', 'decodedExt', 'entry', 'ext', 'hash', 'size', 'verifiedAt']);
  for (const sub of ['list', 'log']) {
    assert.match((await picvault(['catalog', sub, '--help'])).stdout.replace(/\s+/g, ' '), /--json: JSON lines, one (place|run) a line/);
    assert.match((await picvault(['catalog', sub, '--help'], { env: ZH })).stdout.replace(/\s+/g, ''), /--json：JSONlines，每行一/);
  }
});
