import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { markKept, unmarkKept } from '../../src/core/dedupe/marks.js';
import { hashBytes } from '../../src/media/hash.js';
import { picvault } from '../helpers/cli.js';
import { put } from '../helpers/duplicates.js';
import { sampleImage, snapshot } from '../helpers/images.js';
import { tempDir } from '../helpers/tmp.js';

interface Member { path: string; where: string; device?: string; match: string; marked: boolean; removable: boolean }
interface Report { groups: { tier: string; why: string; members: Member[] }[] }

const as = (device: string) => ({ PICVAULT_DEVICE: device });
const report = async (args: string[], device: string) => {
  const r = await picvault(['dedupe', ...args, '--json'], { env: as(device) });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Report;
};
const short = (m: Member) => `${m.where === 'vault' ? `vault:${m.device}` : path.basename(m.path)}${m.removable ? ' go' : ''}`;

/**
 * One sticker on two devices: once on the laptop, twice on the pc, every copy archived. Without a
 * mark, each device's dedupe keeps the copy already safe in the vault from the other device and
 * removes its own; a "keep this copy" mark (set on the web page) is honoured by every device.
 */
async function twoDevices() {
  const root = await tempDir();
  const vault = path.join(root, 'vault');
  const bytes = await sampleImage(31, 'png', 90);
  const laptop = path.join(root, 'laptop');
  const pc = path.join(root, 'pc');
  await put(path.join(laptop, 'chat', 'a.png'), bytes, '2024-01-05');
  await put(path.join(pc, 'chat', 'x.png'), bytes, '2024-02-01');
  await put(path.join(pc, 'saved', 'keep-me.png'), bytes, '2024-03-01');
  for (const [src, device] of [[laptop, 'laptop'], [pc, 'pc']]) {
    assert.equal((await picvault(['archive', src, '--to', vault], { env: as(device) })).code, 0);
  }
  return { root, vault, laptop, pc, picture: await hashBytes(bytes), keepMe: path.join(pc, 'saved', 'keep-me.png') };
}

test('a copy marked "keep this copy" beats every keep rule, on every device using the vault, and dedupe --clean never removes it', async () => {
  const { vault, laptop, pc, picture, keepMe } = await twoDevices();
  const unmarked = await report([pc, '--vault', vault], 'pc');
  assert.deepEqual(unmarked.groups[0].members.map(short), ['vault:laptop', 'x.png go', 'keep-me.png go'], 'without a mark, the laptop\'s copy in the vault stays');

  await markKept(vault, { picture, device: 'pc', path: keepMe }, [picture], 'pc');
  const onPc = await report([pc, '--vault', vault, '--keep', 'date'], 'pc');
  assert.equal(onPc.groups[0].why, 'marked', '--keep does not overrule the mark');
  assert.deepEqual(onPc.groups[0].members.map(short), ['keep-me.png', 'vault:laptop', 'x.png go']);
  assert.equal(onPc.groups[0].members[0].marked, true);
  const onLaptop = await report([laptop, '--vault', vault], 'laptop');
  assert.deepEqual(onLaptop.groups[0].members.map(short), ['vault:pc', 'a.png go'], 'the pc\'s marked copy stands for it on the laptop');

  const before = await snapshot(pc);
  const clean = await picvault(['dedupe', pc, '--vault', vault, '--clean', '--yes'], { env: as('pc') });
  assert.equal(clean.code, 0, clean.stderr);
  const after = await snapshot(pc);
  assert.deepEqual(after.get(path.join('saved', 'keep-me.png')), before.get(path.join('saved', 'keep-me.png')), 'the marked copy is untouched');
  assert.ok(!after.has(path.join('chat', 'x.png')), 'the other copy went');

  // Taken back, the rules choose again.
  assert.equal(await unmarkKept(vault, { picture, device: 'pc', path: keepMe }), true);
  assert.equal((await report([pc, '--vault', vault], 'pc')).groups[0].why, 'reference');
});

test('only a copy in a reference folder beats a mark; the marked copy then stays too', async () => {
  const { root, vault, pc, picture, keepMe } = await twoDevices();
  const ref = path.join(root, 'Pictures');
  await put(path.join(ref, 'album', 'sticker.png'), await sampleImage(31, 'png', 90), '2023-12-01');
  await markKept(vault, { picture, device: 'pc', path: keepMe }, [picture], 'pc');
  const r = await report([pc, '--vault', vault, '--against', ref], 'pc');
  assert.equal(r.groups[0].why, 'reference');
  assert.deepEqual(r.groups[0].members.map(short), ['sticker.png', 'vault:laptop', 'x.png go', 'keep-me.png']);
  assert.ok(r.groups[0].members.find((m) => m.path === keepMe)!.marked);
});

test('a group keeps one marked copy: marking another replaces it; reindex carries the mark over', async () => {
  const { vault, laptop, pc, picture, keepMe } = await twoDevices();
  await markKept(vault, { picture, device: 'pc', path: keepMe }, [picture], 'pc');
  await markKept(vault, { picture, device: 'laptop', path: path.join(laptop, 'chat', 'a.png') }, [picture], 'pc');
  assert.deepEqual((await report([pc, '--vault', vault], 'pc')).groups[0].members.map(short), ['vault:laptop', 'x.png go', 'keep-me.png go']);
  assert.equal((await report([pc, '--vault', vault], 'pc')).groups[0].why, 'marked');

  const reindexed = await picvault(['reindex', '--vault', vault, '--json']);
  assert.equal(reindexed.code, 0, reindexed.stderr);
  assert.equal(JSON.parse(reindexed.stdout).dedupe.keeps, 1);
  assert.equal((await report([pc, '--vault', vault], 'pc')).groups[0].why, 'marked', 'still honoured after reindex');
  await assert.rejects(markKept(vault, { picture: 'not-a-hash', device: 'pc', path: keepMe }, [], 'pc'), (e: { exitCode?: number }) => e.exitCode === 2);
});
