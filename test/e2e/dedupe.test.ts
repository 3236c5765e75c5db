import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { Browse } from '../../src/core/browse.js';
import { SIMILAR_DEFAULT } from '../../src/core/dedupe/similar-index.js';
import { assertClean, picvault } from '../helpers/cli.js';
import { buildDuplicateTree, corpusPhoto, put } from '../helpers/duplicates.js';
import { snapshot } from '../helpers/images.js';
import { tempDir } from '../helpers/tmp.js';
import { replaceWithOldCatalogue } from '../helpers/vault.js';

interface Member { path: string; where: string; device?: string; hash: string; picture: string; match: string; removable: boolean; size: number }
interface Report {
  similar: number | null;
  tiers: Record<string, { groups: number; files: number; bytes: number }>;
  freed: { files: number; bytes: number; bySource: { key: string }[]; byChat: { key: string }[]; byMonth: { key: string }[] };
  groups: { tier: string; why: string; bytes: number; members: Member[] }[];
  marksHonoured: number;
}

const run = async (args: string[], env: Record<string, string> = { PICVAULT_DEVICE: 'pc' }) => {
  const r = await picvault(['dedupe', ...args], { env });
  assert.equal(r.code, 0, r.stderr);
  return r;
};
const report = async (args: string[], env?: Record<string, string>) => JSON.parse((await run([...args, '--json'], env)).stdout) as Report;

test('dedupe prints each tier apart, --json one document of groups (the kept copy first), and --sheet a contact sheet', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const tree = await buildDuplicateTree(src);
  const text = await run([src, '--similar']);
  assert.match(text.stdout, /^identical \(the same bytes\): 1 copy could go/m);
  assert.match(text.stdout, /^same picture .*: 3 copies could go/m);
  assert.match(text.stdout, new RegExp(`^similar \\(picture hashes within ${SIMILAR_DEFAULT} bits\\): 1 copy could go`, 'm'));
  assert.match(text.stdout, /^\s+keep\s+.*car\.jpg$/m);
  assert.match(text.stdout, /what --clean would free, by month:/);

  const r = await report([src, '--similar', '--sheet', path.join(root, 'sheet.png')]);
  assert.equal(r.similar, SIMILAR_DEFAULT);
  assert.deepEqual(r.groups.map((g) => g.tier), ['identical', 'same-picture', 'similar']);
  for (const g of r.groups) {
    assert.equal(g.members[0].match, 'kept');
    assert.equal(g.bytes, g.members.filter((m) => m.removable).reduce((n, m) => n + m.size, 0));
    for (const key of ['where', 'path', 'root', 'source', 'kind', 'size', 'taken', 'month', 'hash', 'picture', 'type', 'pictureSize', 'match', 'removable']) {
      assert.ok(g.members.every((m) => key in m), `every member has ${key}`);
    }
  }
  assert.equal(r.freed.files, 5);
  assert.deepEqual(r.freed.bySource.map((s) => s.key), [src]);
  assert.ok(r.freed.byChat.some((c) => c.key.startsWith('wxid_张三/')), 'freed per chat, with the account');
  const sheet = await sharp(path.join(root, 'sheet.png')).metadata();
  assert.equal(sheet.format, 'png');
  assert.ok(sheet.width! > 1000 && sheet.height! > 3 * 200, `${sheet.width}×${sheet.height}: a row per group`);
  void tree;
});

test('a pair marked "not duplicates" on one device is never grouped again, on any device using the vault', async () => {
  const root = await tempDir();
  const vault = path.join(root, 'vault');
  const { photo, wechat } = await corpusPhoto();
  const laptop = path.join(root, 'laptop');
  await put(path.join(laptop, 'car.jpg'), photo, '2024-01-01');
  await put(path.join(laptop, 'car-small.jpg'), wechat, '2024-01-02');
  assert.equal((await picvault(['archive', laptop, '--to', vault], { env: { PICVAULT_DEVICE: 'laptop' } })).code, 0);
  const pc = path.join(root, 'pc');
  await put(path.join(pc, 'car-small.jpg'), wechat, '2024-02-01');

  const asLaptop = { PICVAULT_DEVICE: 'laptop' };
  const before = await report([laptop, '--vault', vault, '--similar'], asLaptop);
  assert.equal(before.groups.length, 1);
  const [a, b] = before.groups[0].members.map((m) => m.picture);
  const marked = await run(['--vault', vault, '--not-duplicate', a.slice(0, 8), b.slice(0, 10)], asLaptop);
  assert.match(marked.stdout, /are not duplicates/);
  assert.match((await run(['--vault', vault, '--not-duplicate', b, a], asLaptop)).stdout, /already marked/);

  const after = await report([laptop, '--vault', vault, '--similar'], asLaptop);
  assert.deepEqual([after.groups.length, after.marksHonoured], [0, 1]);
  // The pc: its copy is identical to the laptop's small one (kept by the vault) and never grouped with the photo.
  const onPc = await report([pc, '--vault', vault, '--similar']);
  assert.equal(onPc.groups.length, 1);
  assert.deepEqual(onPc.groups[0].members.map((m) => [m.where, m.match]), [['vault', 'kept'], ['source', 'identical']]);
  assert.ok(!onPc.groups[0].members.some((m) => m.picture === a), 'the marked photo is in no group with it');
});

test('pictures this device cleaned get their looks from their zips, and with no cache on the machine dedupe --vault looks at the vault alone', async () => {
  const root = await tempDir();
  const vault = path.join(root, 'vault');
  const { photo, wechat } = await corpusPhoto();
  const pc = path.join(root, 'pc');
  await put(path.join(pc, 'camera', 'car.jpg'), photo, '2024-01-01');
  await put(path.join(pc, 'chat', 'car-small.jpg'), wechat, '2024-01-02');
  const asPc = { env: { PICVAULT_DEVICE: 'pc' } };
  assert.equal((await picvault(['archive', pc, '--to', vault], asPc)).code, 0);
  const cleaned = await picvault(['clean', path.join(pc, 'chat'), '--vault', vault, '--yes', '--preview', path.join(root, 'preview.png')], asPc);
  assert.equal(cleaned.code, 0, cleaned.stderr);

  // The cache named: the small copy lives only in the vault now, and is compared from its zip.
  type Looks = Report & { looksKnown: number; looksMissing: number };
  const named = (await report([pc, '--vault', vault, '--similar'])) as Looks;
  assert.deepEqual([named.looksKnown, named.looksMissing], [2, 0]);
  // A copy this device cleaned is compared, but never kept over the copy still on its disk: the pair
  // frees nothing (no group), and --clean, even twice, leaves the last copy on disk.
  assert.deepEqual(named.groups, []);
  for (let i = 0; i < 2; i++) await run([pc, '--vault', vault, '--similar', '--clean', '--yes']);
  assert.ok((await snapshot(pc)).has(path.join('camera', 'car.jpg')), 'the last copy on disk stays');
  // The duplicates page counts from the looks the catalogue keeps: none missing now.
  const browse = await Browse.open({ vault, cacheDir: path.join(root, 'thumbs') });
  try {
    assert.equal((await browse.duplicates.report()).looksMissing, 0, 'the page no longer asks for a run that cannot help');
  } finally {
    await browse.close();
  }

  // No QQ or WeChat cache on this machine: the page's advice, `dedupe --vault V --similar`, works on the vault alone.
  const home = path.join(root, 'home');
  for (const [lang, said] of [['en', /no QQ or WeChat cache found on this machine: looking at the vault alone/], ['zh', /本机未找到 QQ 或微信缓存：只查看仓库/]] as const) {
    const alone = await picvault(['dedupe', '--vault', vault, '--similar', '--lang', lang], { env: { PICVAULT_DEVICE: 'pc', PICVAULT_HOME: home } });
    assert.equal(alone.code, 0, alone.stderr);
    assert.match(alone.stderr, said);
  }
  const json = JSON.parse((await run(['--vault', vault, '--similar', '--json'], { PICVAULT_DEVICE: 'pc', PICVAULT_HOME: home })).stdout) as Looks;
  assert.deepEqual([json.groups.length, json.groups[0]!.tier, json.looksMissing], [1, 'similar', 0]);
  // --clean removes copies from the caches it finds: with none found it still says so and stops.
  assertClean(await picvault(['dedupe', '--vault', vault, '--clean', '--yes'], { env: { PICVAULT_DEVICE: 'pc', PICVAULT_HOME: home } }), 2, /no QQ or WeChat cache found on this machine; name a folder/);
});

test('bad input is one clear line and exit 2, in either language, and changes nothing', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildDuplicateTree(src);
  const vault = path.join(root, 'vault');
  assert.equal((await picvault(['archive', src, '--to', vault])).code, 0);
  const before = await snapshot(root);
  const cases: [string[], RegExp][] = [
    [[src, '--keep', 'biggest'], /--keep takes rule names among reference,original,pixels,size,date,path: biggest/],
    [[src, '--similar', '300'], /--similar takes a distance from 0 to 256/],
    [[src, '--clean', '--yes'], /--clean archives every copy before removing it: name the vault/],
    [['--not-duplicate', 'abcdef12', 'abcdef34'], /marks are kept in the vault/],
    [['--vault', vault, '--not-duplicate', 'abcdef12'], /takes two picture hashes/],
    [['--vault', vault, '--not-duplicate', 'ffffff00', 'ffffff01'], /no image in the vault has a hash starting with ffffff00/],
    [['--vault', vault, '--not-duplicate', 'zz', 'yy'], /not a hash or hash prefix/],
    [[src, '--against', root], /reference folder .* holds a source folder/],
    [[path.join(root, 'nowhere')], /source folder not found/],
    [[src, '--clean', '--vault', vault], /dedupe --clean removes 4 copies .* not a terminal; add --yes/],
  ];
  for (const [args, pattern] of cases) assertClean(await picvault(['dedupe', ...args]), 2, pattern);
  const zh = await picvault(['dedupe', src, '--keep', 'biggest', '--lang', 'zh']);
  assertClean(zh, 2, /--keep 只接受以下规则名/);
  const after = await snapshot(root);
  for (const [rel, f] of before) if (!rel.startsWith('vault')) assert.deepEqual(after.get(rel), f, rel);
  assert.deepEqual([...after.keys()].filter((k) => !k.startsWith('vault') && !before.has(k)), [], 'nothing new');
});

test('an old vault (the previous release\'s catalogue) works: matched across devices, marks kept after its upgrade', async () => {
  const root = await tempDir();
  const vault = path.join(root, 'vault');
  const laptop = path.join(root, 'laptop');
  const { photo, wechat } = await corpusPhoto();
  await put(path.join(laptop, 'car.jpg'), photo, '2024-01-01');
  assert.equal((await picvault(['archive', laptop, '--to', vault], { env: { PICVAULT_DEVICE: 'laptop' } })).code, 0);
  await replaceWithOldCatalogue(vault, path.join(root, 'old.db'));

  const pc = path.join(root, 'pc');
  await put(path.join(pc, 'car.jpg'), photo, '2024-02-01');
  await put(path.join(pc, 'car-small.jpg'), wechat, '2024-02-02');
  const r = await report([pc, '--vault', vault, '--similar']);
  assert.equal(r.groups.length, 1);
  assert.deepEqual(r.groups[0].members.map((m) => [m.where, m.device ?? null]), [['vault', 'laptop'], ['source', null], ['source', null]]);
  const small = r.groups[0].members.find((m) => m.path.endsWith('car-small.jpg'))!;
  await run(['--vault', vault, '--not-duplicate', r.groups[0].members[0].picture, small.picture]);
  const marked = await report([pc, '--vault', vault, '--similar']);
  assert.deepEqual(marked.groups.map((g) => g.members.length), [2]);
  assert.equal(marked.marksHonoured, 1);
});
