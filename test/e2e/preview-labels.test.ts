import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { picvault } from '../helpers/cli.js';
import { put } from '../helpers/duplicates.js';
import { tempDir } from '../helpers/tmp.js';
import { CORPUS } from '../helpers/vault.js';

/** A real HEIC (sharp's prebuilt libvips cannot decode it): its tile can show no picture. */
const heic = () => readFile(path.join(CORPUS, 'exif-samples/heic/samplefilehub.heif'));

/** A tile's region of a sheet: its brightest channel value (the grey fill is 0x77) and its pixels. */
async function region(sheet: string, left: number, top: number, size: number): Promise<{ brightest: number; pixels: Buffer }> {
  const { data } = await sharp(sheet).extract({ left, top, width: size, height: size }).raw().toBuffer({ resolveWithObject: true });
  return { brightest: Math.max(...data), pixels: data };
}

const LANGS = { en: { LANG: 'en_US.UTF-8' }, zh: { LANG: 'zh_CN.UTF-8' } };

test("clean's preview: a HEIC's tile says its type and why it has no picture, in the user's language", async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await put(path.join(src, 'camera', 'IMG_0001.heic'), await heic(), '2024-03-02');
  const vault = path.join(root, 'vault');
  const env = { PICVAULT_DEVICE: 'pc' };
  assert.equal((await picvault(['archive', src, '--to', vault], { env })).code, 0);
  const tiles = [];
  for (const [lang, words] of Object.entries(LANGS)) {
    const sheet = path.join(root, `${lang}.png`);
    const r = await picvault(['clean', src, '--vault', vault, '--dry-run', '--preview', sheet], { env: { ...env, ...words } });
    assert.equal(r.code, 0, r.stderr);
    // The first tile: GAP 8 from the corner, 160 wide.
    tiles.push(await region(sheet, 8, 8, 160));
  }
  for (const t of tiles) assert.ok(t.brightest > 0xc0, 'words on the grey tile');
  assert.ok(!tiles[0].pixels.equals(tiles[1].pixels), 'English and Chinese words differ');
});

test("dedupe's sheet: a HEIC's tile says its type and why it has no picture, in the user's language", async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const bytes = await heic();
  await put(path.join(src, 'a', 'IMG_0001.heic'), bytes, '2024-03-02');
  await put(path.join(src, 'b', 'IMG_0001 copy.heic'), bytes, '2024-03-03');
  const tiles = [];
  for (const [lang, words] of Object.entries(LANGS)) {
    const sheet = path.join(root, `${lang}.png`);
    const r = await picvault(['dedupe', src, '--sheet', sheet], { env: { PICVAULT_DEVICE: 'pc', ...words } });
    assert.equal(r.code, 0, r.stderr);
    // The first tile's inside: GAP 10, under a 26-pixel heading, within a 3-pixel frame.
    tiles.push(await region(sheet, 13, 39, 164));
  }
  for (const t of tiles) assert.ok(t.brightest > 0xc0, 'words on the grey tile');
  assert.ok(!tiles[0].pixels.equals(tiles[1].pixels), 'English and Chinese words differ');
});
