import assert from 'node:assert/strict';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { archive } from '../src/core/archive.js';
import { findDuplicates, type DedupeReport, type DuplicateGroup } from '../src/core/dedupe.js';
import { SIMILAR_DEFAULT } from '../src/core/dedupe/similar-index.js';
import { hashBytes } from '../src/media/hash.js';
import { buildDuplicateTree, corpusColor, corpusPhoto, put } from './helpers/duplicates.js';
import { sampleImage, snapshot } from './helpers/images.js';
import { tempDir } from './helpers/tmp.js';

const groupWith = (r: DedupeReport, file: string) => r.groups.find((g) => g.members.some((m) => m.path === file));
const paths = (g: DuplicateGroup | undefined) => g?.members.map((m) => m.path).sort();

test('three tiers, reported apart: identical bytes, the same picture (a JPEG and its .dat under keys 0x9F, 0x51 and WeChat 4), and similar only when asked', async () => {
  const src = path.join(await tempDir(), 'cache');
  const tree = await buildDuplicateTree(src);
  const before = await snapshot(src);

  const plain = await findDuplicates({ sources: [src], device: 'pc' });
  assert.equal(plain.similar, null);
  const sticker = groupWith(plain, tree.sticker[0])!;
  assert.equal(sticker.tier, 'identical');
  assert.deepEqual(paths(sticker), [...tree.sticker].sort());
  const color = groupWith(plain, tree.color.jpeg)!;
  assert.equal(color.tier, 'same-picture');
  assert.deepEqual(paths(color), Object.values(tree.color).sort());
  const { jpeg } = await corpusColor();
  assert.ok(color.members.every((m) => m.picture === color.members[0].picture && m.type === 'jpg' && m.pictureSize === jpeg.length), 'every copy shows the JPEG');
  assert.equal(color.members[0].picture, await hashBytes(jpeg));
  assert.equal(new Set(color.members.map((m) => m.hash)).size, 4, 'four different files');
  assert.equal(groupWith(plain, tree.car.photo), undefined, 'similar pictures are not grouped unless asked');
  assert.equal(plain.groups.length, 2);
  assert.deepEqual(plain.tiers, {
    identical: { groups: 1, files: 1, bytes: sticker.bytes },
    'same-picture': { groups: 1, files: 3, bytes: color.bytes },
    similar: { groups: 0, files: 0, bytes: 0 },
  });

  const similar = await findDuplicates({ sources: [src], device: 'pc', similar: SIMILAR_DEFAULT });
  const car = groupWith(similar, tree.car.photo)!;
  assert.equal(car.tier, 'similar');
  assert.deepEqual(paths(car), [tree.car.photo, tree.car.wechat].sort());
  assert.equal(car.members[0].path, tree.car.photo, 'the photo with more pixels stays');
  assert.equal(car.why, 'pixels');
  assert.equal(car.members[1].match, 'similar');
  assert.ok(car.members[1].distance! <= SIMILAR_DEFAULT);
  for (const f of tree.unrelated) assert.equal(groupWith(similar, f), undefined, `${f} has no duplicate`);
  assert.equal(similar.tiers.similar.files, 1);
  assert.deepEqual(await snapshot(src), before, 'dedupe without --clean changes nothing');
});

test('keep rules on real layouts: an original over its thumbnail, then --keep date puts the earlier copy first', async () => {
  const src = path.join(await tempDir(), 'cache');
  const pic = path.join(src, 'Tencent Files', '87654321', 'nt_qq', 'nt_data', 'Pic', '2024-10');
  const bytes = await sampleImage(77, 'jpeg', 160);
  // QQNT keeps small pictures in both folders, byte for byte; the thumbnail arrived first.
  const ori = path.join(pic, 'Ori', '0123456789abcdef0123456789abcdef_0.jpg');
  const thumb = path.join(pic, 'Thumb', '0123456789abcdef0123456789abcdef_720.jpg');
  await put(ori, bytes, '2024-10-20');
  await put(thumb, bytes, '2024-10-02');
  const byDefault = (await findDuplicates({ sources: [src], device: 'pc' })).groups[0];
  assert.deepEqual([byDefault.members[0].path, byDefault.members[0].kind, byDefault.why], [ori, 'original', 'original']);
  assert.deepEqual([byDefault.members[1].kind, byDefault.members[1].match, byDefault.members[1].removable], ['thumb', 'identical', true]);
  const byDate = (await findDuplicates({ sources: [src], device: 'pc', keep: ['date'] })).groups[0];
  assert.deepEqual([byDate.members[0].path, byDate.why], [thumb, 'date']);
});

test('a reference folder is read and matched, never a copy to remove; its copy stays', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const ref = path.join(root, 'Pictures');
  const { photo } = await corpusPhoto();
  await put(path.join(ref, '2024', 'car.jpg'), photo, '2024-01-01');
  await put(path.join(src, 'chat', 'car.jpg'), photo, '2024-03-01');
  await put(path.join(src, 'chat', 'car-again.jpg'), photo, '2024-03-02');
  const r = await findDuplicates({ sources: [src], against: [ref], device: 'pc' });
  assert.equal(r.groups.length, 1);
  const [kept, ...others] = r.groups[0].members;
  assert.deepEqual([kept.where, kept.path, kept.removable, r.groups[0].why], ['reference', path.join(ref, '2024', 'car.jpg'), false, 'reference']);
  assert.ok(others.every((m) => m.where === 'source' && m.removable));
  assert.deepEqual(r.against, [ref]);
  assert.deepEqual(r.freed.bySource.map((s) => [s.key, s.files]), [[src, 2]]);
  // Reference copies alone are nothing to dedupe.
  await mkdir(path.join(ref, 'copy'), { recursive: true });
  await copyFile(path.join(ref, '2024', 'car.jpg'), path.join(ref, 'copy', 'car.jpg'));
  const again = await findDuplicates({ sources: [src], against: [ref], device: 'pc' });
  assert.ok(again.groups[0].members.filter((m) => m.where === 'reference').every((m) => !m.removable));
  await assert.rejects(findDuplicates({ sources: [src], against: [root], device: 'pc' }), (e: { key?: string; exitCode?: number }) => e.key === 'dedupe.againstHoldsSource' && e.exitCode === 2);
});

test('with --vault, a picture the vault holds from another device is matched: already safe, from the laptop (a stored .dat decoded from its zip)', async () => {
  const root = await tempDir();
  const laptop = path.join(root, 'laptop-cache');
  const { jpeg, dat9f } = await corpusColor();
  const sticker = await sampleImage(9, 'png', 100);
  await put(path.join(laptop, 'WeChat Files', 'wxid_x', 'FileStorage', 'Image', '2024-01', 'aaaabbbbccccddddeeeeffff00001111.dat'), dat9f, '2024-01-05');
  await put(path.join(laptop, 'stickers', 'a.png'), sticker, '2024-01-06');
  await put(path.join(laptop, 'stickers', 'b.png'), sticker, '2024-01-07');
  const vault = path.join(root, 'vault');
  await archive({ vault, sources: [laptop], device: 'laptop' });

  const pc = path.join(root, 'pc-cache');
  await put(path.join(pc, 'saved', 'color.jpg'), jpeg, '2024-02-01');
  await put(path.join(pc, 'chat', 'sticker.png'), sticker, '2024-02-02');
  const r = await findDuplicates({ sources: [pc], vault, device: 'pc' });
  assert.equal(r.groups.length, 2);
  const color = groupWith(r, path.join(pc, 'saved', 'color.jpg'))!;
  assert.equal(color.tier, 'same-picture');
  assert.deepEqual(color.members.map((m) => [m.where, m.device ?? null, m.match, m.removable]), [['vault', 'laptop', 'kept', false], ['source', null, 'same-picture', true]]);
  const st = groupWith(r, path.join(pc, 'chat', 'sticker.png'))!;
  assert.deepEqual(st.members.map((m) => [m.where, m.places ?? 1, m.match]), [['vault', 2, 'kept'], ['source', 1, 'identical']], 'one vault copy per device, with its places');
  // The picture of the stored .dat is learned once: the next run finds the same without reading it.
  const again = await findDuplicates({ sources: [pc], vault, device: 'pc' });
  assert.deepEqual(again.groups.map((g) => g.members.map((m) => m.picture)), r.groups.map((g) => g.members.map((m) => m.picture)));
  // The laptop's own copies are on its disk: as that device, the vault adds nothing.
  const asLaptop = await findDuplicates({ sources: [laptop], vault, device: 'laptop' });
  assert.deepEqual(asLaptop.groups.map((g) => g.members.map((m) => m.where)), [['source', 'source']]);
  // The vault alone (no source: what the web page shows): the .dat and the JPEG are one picture
  // stored twice; the sticker, at two places on the laptop and one on the pc, is identical.
  await archive({ vault, sources: [pc], device: 'pc' });
  const vaultOnly = await findDuplicates({ sources: [], vault, device: 'pc' });
  assert.deepEqual(vaultOnly.groups.map((g) => [g.tier, g.members.map((m) => `${m.device}×${m.places}`).sort()]), [['identical', ['laptop×2', 'pc×1']], ['same-picture', ['laptop×1', 'pc×1']]]);
  assert.ok(vaultOnly.groups.every((g) => g.members.every((m) => !m.removable)));
  assert.equal(vaultOnly.groups[0].bytes, 2 * sticker.length, 'if only the kept copy stayed, two places would go');
});
