import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { openCatalog } from '../../src/catalog/db.js';
import { buildTree, entriesUnder, snapshot, writeImage } from '../helpers/images.js';
import { picvault } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const env = { PICVAULT_DEVICE: 'pc' };

async function archivedTree(n = 3) {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const files = await buildTree(src, n, ['2024-01']);
  const vault = path.join(root, 'vault');
  const r = await picvault(['archive', src, '--to', vault], { env });
  assert.equal(r.code, 0, r.stderr);
  return { root, src, vault, files };
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

test('a name of 255 bytes archives, cleans, and restores in place and under --to', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const long = `${'图'.repeat(83)}ab.jpg`;
  assert.equal(Buffer.byteLength(long), 255);
  const file = path.join(src, 'chat', long);
  const bytes = await writeImage(file, 1, '2024-03-05');
  const mtimeMs = (await stat(file)).mtimeMs;
  const vault = path.join(root, 'vault');
  assert.equal((await picvault(['archive', src, '--to', vault], { env })).code, 0);
  const clean = await picvault(['clean', src, '--vault', vault, '--yes'], { env });
  assert.equal(clean.code, 0, clean.stderr);
  assert.equal(await stat(file).catch(() => null), null);

  const inPlace = await picvault(['restore', '--from', vault], { env });
  assert.equal(inPlace.code, 0, inPlace.stderr);
  assert.deepEqual(await readFile(file), bytes);
  assert.equal((await stat(file)).mtimeMs, mtimeMs);
  const out = path.join(root, 'out');
  const under = await picvault(['restore', '--from', vault, '--to', out]);
  assert.equal(under.code, 0, under.stderr);
  assert.deepEqual(await readFile(path.join(out, 'pc', path.relative('/', file))), bytes);
  assert.deepEqual(await readdir(path.dirname(file)), [long], 'no temporary file left');
});

test('the next restore into a folder removes what a killed restore left there, not what a running one writes', async () => {
  const { root, vault, files } = await archivedTree();
  const out = path.join(root, 'out');
  const folder = path.join(out, 'pc', path.relative('/', path.dirname(files[0])));
  await mkdir(folder, { recursive: true });
  const dead = `.picvault-${await deadPid()}-0123abcd.part`;
  const legacy = `.${path.basename(files[0])}.89abcdef.picvault-part`;
  const running = `.picvault-${process.pid}-fedcba98.part`;
  for (const name of [dead, legacy, running]) await writeFile(path.join(folder, name), 'half an image');

  const r = await picvault(['restore', '--from', vault, '--to', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await readdir(folder)).sort(), [running, path.basename(files[0])].sort());
});

test('scan and archive never select picvault\'s own temporary files', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const [file] = await buildTree(src, 1, ['2024-01']);
  const truncated = (await readFile(file)).subarray(0, 200);
  const dir = path.dirname(file);
  for (const name of [`.${path.basename(file)}.0123abcd.picvault-part`, `.picvault-4242-0123abcd.part`, '.2024-01_0123456789ab.zip.partial']) {
    await writeFile(path.join(dir, name), truncated);
  }
  const scan = await picvault(['scan', src, '--json']);
  assert.equal(JSON.parse(scan.stdout).files, 1, scan.stdout);
  const vault = path.join(root, 'vault');
  const archived = await picvault(['archive', src, '--to', vault, '--json']);
  assert.equal(archived.code, 0, archived.stderr);
  assert.equal(JSON.parse(archived.stdout).selected, 1);
  assert.equal(JSON.parse(archived.stdout).plan.newImages, 1);
});

test('a symlink planted at DEST/<device> or deeper never makes restore create a folder outside DEST', async () => {
  const { root, vault, files } = await archivedTree();
  const outside = path.join(root, 'outside');
  await mkdir(outside);

  const dest = path.join(root, 'dest');
  await mkdir(dest);
  await symlink(outside, path.join(dest, 'pc'));
  const r = await picvault(['restore', '--from', vault, '--to', dest]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /outside the destination/);
  assert.deepEqual(await entriesUnder(outside), []);

  // One level down, under a real folder: the same.
  const deeper = path.join(root, 'deeper');
  const first = path.relative('/', files[0]).split(path.sep)[0];
  await mkdir(path.join(deeper, 'pc'), { recursive: true });
  await symlink(outside, path.join(deeper, 'pc', first));
  assert.equal((await picvault(['restore', '--from', vault, '--to', deeper])).code, 3);
  assert.deepEqual(await entriesUnder(outside), []);

  // A link that stays inside the destination is followed.
  const inside = path.join(root, 'inside');
  await mkdir(path.join(inside, 'real'), { recursive: true });
  await symlink(path.join(inside, 'real'), path.join(inside, 'pc'));
  const ok = await picvault(['restore', '--from', vault, '--to', inside]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal((await snapshot(path.join(inside, 'real'))).size, files.length);
});

test('in place, restore writes only inside folders this device archived from, or a folder the user names', async () => {
  const { root, src, vault, files } = await archivedTree();
  // A forged root of "/" and a path outside every source, as a crafted manifest would give after a reindex.
  const forged = path.join(root, 'elsewhere', 'planted.jpg');
  const db = openCatalog(path.join(vault, 'picvault.db'));
  db.prepare("UPDATE locations SET root = '/', path = ?, path_key = picvault_path_key(?) WHERE path = ?").run(forged, forged, files[0]);
  db.close();
  for (const f of files.slice(1)) await rm(f);

  const r = await picvault(['restore', '--from', vault], { env });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /not a folder this device archived from/);
  assert.equal(await stat(path.join(root, 'elsewhere')).catch(() => null), null, 'no folder made outside the sources');
  for (const f of files.slice(1)) assert.ok(await stat(f), `${f} is back`);

  // A catalogue rebuilt from the zips has no audit trail: only a folder the user names is trusted.
  await rm(path.join(vault, 'picvault.db'));
  assert.equal((await picvault(['reindex', '--vault', vault])).code, 0);
  for (const f of files) await rm(f);
  const untrusted = await picvault(['restore', '--from', vault], { env });
  assert.equal(untrusted.code, 3, untrusted.stderr);
  for (const f of files) assert.equal(await stat(f).catch(() => null), null);
  const named = await picvault(['restore', '--from', vault, '--root', src], { env });
  assert.equal(named.code, 0, named.stderr);
  for (const f of files) assert.ok(await stat(f), `${f} is back`);
  assert.equal(await stat(path.join(root, 'elsewhere')).catch(() => null), null);
});

test('a restored file gets its time back to the microsecond and counts as the file archived: archive skips it, clean takes it', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const files = await buildTree(src, 2, ['2024-05']);
  // Nanoseconds as ext4 keeps them, and a whole millisecond (which came back as .122999).
  const times = ['1714651207.123456789', '1714651207.123'];
  files.forEach((f, i) => execFileSync('touch', ['-m', '-d', `@${times[i]}`, f]));
  const vault = path.join(root, 'vault');
  assert.equal((await picvault(['archive', src, '--to', vault], { env })).code, 0);
  assert.equal((await picvault(['clean', src, '--vault', vault, '--yes'], { env })).code, 0);
  const r = await picvault(['restore', '--from', vault], { env });
  assert.equal(r.code, 0, r.stderr);
  const ns = await Promise.all(files.map(async (f) => (await stat(f, { bigint: true })).mtimeNs));
  assert.deepEqual(ns, [1714651207123456000n, 1714651207123000000n]);

  const again = await picvault(['archive', src, '--to', vault, '--json'], { env });
  assert.equal(JSON.parse(again.stdout).unchanged, 2, 'archive does not read the restored files again');
  const plan = await picvault(['clean', src, '--vault', vault, '--dry-run', '--json'], { env });
  assert.equal(JSON.parse(plan.stdout).files.length, 2, plan.stdout);
});

test('clean with no SOURCE walks only the folders this device\'s archive runs named, never a catalogued root', async () => {
  const { root, vault, files } = await archivedTree();
  // A copy of an archived file outside the source, catalogued (as a crafted manifest would) under a root around it.
  const planted = path.join(root, 'elsewhere', path.basename(files[0]));
  await mkdir(path.dirname(planted));
  execFileSync('cp', ['-p', files[0], planted]);
  const db = openCatalog(path.join(vault, 'picvault.db'));
  db.prepare('UPDATE locations SET root = ?, path = ?, path_key = picvault_path_key(?) WHERE path = ?').run(root, planted, planted, files[0]);
  db.close();
  const r = await picvault(['clean', '--vault', vault, '--yes'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(await stat(planted), 'a file under a catalogued root no archive run named is not touched');
  assert.equal(await stat(files[1]).catch(() => null), null, 'the source the runs named is cleaned');
});
