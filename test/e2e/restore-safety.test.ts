import assert from 'node:assert/strict';
import { readdir, stat, symlink, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { openCatalog } from '../../src/catalog/db.js';
import { archive } from '../../src/core/archive.js';
import { ZipReader } from '../../src/vault/zip-reader.js';
import { ZipWriter } from '../../src/vault/zip-writer.js';
import { MANIFEST_ENTRY } from '../../src/vault/manifest.js';
import { buildTree, snapshot } from '../helpers/images.js';
import { picvault } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { vaultZips } from '../helpers/vault.js';

const CRAFTED = ['../../x.jpg', '/etc/x.jpg', 'C:\\Windows\\x.jpg', '..\\..\\..\\y.jpg', '/../../../z.jpg'];

/** Everything in `root` outside `inside`, to prove nothing was written there. */
async function filesOutside(root: string, inside: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (p === inside) continue;
      if (e.isDirectory()) await walk(p);
      else out.push(p);
    }
  };
  await walk(root);
  return out.sort();
}

test('crafted catalogue paths cannot make restore --to DIR write outside DIR', async () => {
  const root = await tempDir();
  const src = path.join(root, 'src');
  await buildTree(src, CRAFTED.length, ['2024-01']);
  const vault = path.join(root, 'vault');
  await archive({ vault, sources: [src], device: 'pc' });
  const db = openCatalog(path.join(vault, 'picvault.db'));
  const ids = db.prepare('SELECT id FROM locations ORDER BY id').pluck().all() as number[];
  const craft = db.prepare("UPDATE locations SET path = ?, path_key = picvault_path_key(?), device = ?, root = '/' WHERE id = ?");
  ids.forEach((id, i) => craft.run(CRAFTED[i], CRAFTED[i], i % 2 ? '../..' : 'pc', id));
  db.close();
  const before = await filesOutside(root, path.join(root, 'dest'));

  const dest = path.join(root, 'dest', 'inner');
  const r = await picvault(['restore', '--from', vault, '--to', dest]);
  assert.ok(r.code === 0 || r.code === 3, r.stderr);
  assert.deepEqual(await filesOutside(root, path.join(root, 'dest')), before);
  for (const f of ['/etc/x.jpg', '/x.jpg', '/y.jpg', '/z.jpg']) assert.equal(await stat(f).catch(() => null), null, f);
  const written = await snapshot(dest);
  assert.ok(written.size >= 1);

  // In place: no crafted path is ever a target.
  const inPlace = await picvault(['restore', '--from', vault], { env: { PICVAULT_DEVICE: 'pc' } });
  assert.equal(inPlace.code, 3, inPlace.stderr);
  assert.match(inPlace.stderr, /outside the destination/);
  assert.deepEqual(await filesOutside(root, path.join(root, 'dest')), before);
});

test('a crafted manifest, reindexed, cannot make restore write outside DIR; nor can a planted symlink', async () => {
  const root = await tempDir();
  const src = path.join(root, 'src');
  await buildTree(src, 2, ['2024-01']);
  const vault = path.join(root, 'vault');
  await archive({ vault, sources: [src], device: 'pc' });
  // Rewrite the zip with a hostile manifest under a valid name.
  const [zip] = await vaultZips(vault);
  const reader = await ZipReader.open(zip);
  const manifest = await reader.manifest();
  // One hostile path; one ordinary place of device "pc", whose folder in the destination is a link.
  manifest.locations = manifest.locations.map((l, i) => (i === 0 ? { ...l, path: '../../../../escape.jpg', device: '..' } : { ...l, device: 'pc' }));
  const { rm, rename } = await import('node:fs/promises');
  const tmp = zip + '.new';
  const w = await ZipWriter.create(tmp);
  for (const img of manifest.images) await w.add(img.entry, await reader.readEntry(img.entry), new Date());
  await w.add(MANIFEST_ENTRY, Buffer.from(JSON.stringify(manifest)), new Date());
  const { xxh64 } = await w.finish();
  await rm(zip);
  await rename(tmp, path.join(path.dirname(zip), `2024-01_${xxh64}.zip`));
  await rm(path.join(vault, 'picvault.db'));
  assert.equal((await picvault(['reindex', '--vault', vault])).code, 0);

  const dest = path.join(root, 'dest');
  // A symlink inside the destination pointing outside must not carry writes out.
  await mkdir(dest, { recursive: true });
  const outside = path.join(root, 'outside');
  await mkdir(outside);
  await symlink(outside, path.join(dest, 'pc'));
  const before = await filesOutside(root, dest);
  const r = await picvault(['restore', '--from', vault, '--to', dest]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /outside the destination/);
  assert.deepEqual(await filesOutside(root, dest), before);
  assert.deepEqual([...(await snapshot(outside)).keys()], []);
  assert.equal(await stat(path.join(root, 'escape.jpg')).catch(() => null), null);
});
