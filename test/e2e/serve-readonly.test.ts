import assert from 'node:assert/strict';
import { chown } from 'node:fs/promises';
import { request } from 'node:http';
import { test } from 'node:test';
import { NOBODY, isRoot } from '../helpers/cli.js';
import { snapshot } from '../helpers/images.js';
import { buildServedVault, spawnServe, stopServe } from '../helpers/serve.js';
import { readFile } from 'node:fs/promises';
import { hashBytes } from '../../src/media/hash.js';

/** A GET over the socket, with the cookie if there is one. */
function get(url: URL, p: string, cookie = ''): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request({ host: url.hostname, port: url.port, path: p, headers: { cookie } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject).end();
  });
}

test('a vault the user may only read is served whole (pages and thumbnails), and left exactly as it was', { skip: !isRoot() && 'needs root to run as another user' }, async () => {
  const v = await buildServedVault();
  const before = await snapshot(v.vault);
  await import('node:fs/promises').then((fs) => fs.mkdir(v.cache));
  await chown(v.cache, NOBODY, NOBODY);
  const served = await spawnServe(v.vault, v.cache, { uid: NOBODY, gid: NOBODY });
  try {
    const { url } = served;
    const first = await get(url, url.pathname + url.search);
    assert.equal(first.status, 303);
    const cookie = String(first.headers['set-cookie']).split(';')[0];
    const overview = await get(url, '/', cookie);
    assert.equal(overview.status, 200, overview.body.toString());
    assert.match(overview.body.toString(), /href="\/month\/2024-05"/);
    const hash = await hashBytes(await readFile(v.files.turned));
    const thumb = await get(url, `/thumb/${hash}`, cookie);
    assert.equal(thumb.status, 200);
    assert.equal(thumb.headers['content-type'], 'image/webp');
    assert.equal((await get(url, `/picture/${hash}`, cookie)).status, 200);
  } finally {
    await stopServe(served);
  }
  assert.deepEqual(await snapshot(v.vault), before, 'the vault is unchanged');
});
