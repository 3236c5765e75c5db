import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { archive } from '../../src/core/archive.js';
import { findDuplicates } from '../../src/core/dedupe.js';
import { writeDedupeSheet } from '../../src/core/dedupe/sheet.js';
import { SIMILAR_DEFAULT } from '../../src/core/dedupe/similar-index.js';
import { picvault } from '../helpers/cli.js';
import { buildDuplicateTree, put, type DuplicateTree } from '../helpers/duplicates.js';
import { tempDir } from '../helpers/tmp.js';

const TIER_WORDS = { identical: 'identical', 'same-picture': 'same picture', similar: 'similar' } as const;
type Tier = keyof typeof TIER_WORDS;
interface Report {
  tiers: Record<Tier, { groups: number; files: number; bytes: number }>;
  groups: { tier: Tier; bytes: number; going: number; members: { path: string; where: string }[] }[];
}

const copyTo = async (from: string, to: string) => {
  await mkdir(path.dirname(to), { recursive: true });
  await copyFile(from, to);
};

/**
 * Every tier, across a source and a vault from another device, with copies of the kept copy's
 * very bytes inside the same-picture and similar groups (the old totals counted those as
 * identical), and a sticker group larger than a sheet's row.
 */
async function tree(): Promise<{ root: string; src: string; vault: string; t: DuplicateTree }> {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const t = await buildDuplicateTree(src);
  await copyTo(t.color.jpeg, path.join(src, 'folder', 'saved', 'color-again.jpg'));
  await copyTo(t.car.photo, path.join(src, 'folder', 'camera', 'car-again.jpg'));
  for (let i = 0; i < 5; i++) await copyTo(t.sticker[0], path.join(src, 'folder', `chat-${i}`, 'sticker.gif'));
  const laptop = path.join(root, 'laptop');
  await put(path.join(laptop, 'saved', 'color.jpg'), await readFile(t.color.jpeg), '2023-12-01');
  await put(path.join(laptop, 'saved', 'sticker.gif'), await readFile(t.sticker[0]), '2023-12-02');
  const vault = path.join(root, 'vault');
  await archive({ vault, sources: [laptop], device: 'laptop' });
  return { root, src, vault, t };
}

test('dedupe: each tier total is the sum of its groups, in the text (copies) and in --json (copies and bytes)', async () => {
  const { src, vault } = await tree();
  const args = ['dedupe', src, '--vault', vault, '--similar'];
  const json = await picvault([...args, '--json'], { env: { PICVAULT_DEVICE: 'pc' } });
  assert.equal(json.code, 0, json.stderr);
  const r = JSON.parse(json.stdout) as Report;
  for (const tier of Object.keys(TIER_WORDS) as Tier[]) {
    const groups = r.groups.filter((g) => g.tier === tier);
    assert.ok(groups.length > 0, `a ${tier} group`);
    assert.deepEqual(r.tiers[tier], { groups: groups.length, files: groups.reduce((n, g) => n + g.going, 0), bytes: groups.reduce((n, g) => n + g.bytes, 0) }, tier);
  }
  assert.ok(r.groups.some((g) => g.members.some((m) => m.where === 'vault')), 'the vault copy is in a group');

  const text = await picvault(args, { env: { PICVAULT_DEVICE: 'pc' } });
  assert.equal(text.code, 0, text.stderr);
  for (const [tier, words] of Object.entries(TIER_WORDS)) {
    const total = Number(new RegExp(`^${words} \\(.*\\): (\\d+) cop(?:y|ies) could go`, 'm').exec(text.stdout)?.[1]);
    const heads = [...text.stdout.matchAll(new RegExp(`^#\\d+ ${words} · \\d+ cop(?:y|ies) · (\\d+) cop(?:y|ies) could go`, 'gm'))];
    assert.ok(heads.length > 0, `${tier} headings in:\n${text.stdout}`);
    assert.equal(heads.reduce((n, h) => n + Number(h[1]), 0), total, `${tier}: the header adds up its groups' headings`);
  }
});

test('dedupe --sheet numbers groups as the text does, and a heading says how many copies it shows', async () => {
  const { root, src, vault, t } = await tree();
  const report = await findDuplicates({ sources: [src], vault, device: 'pc', similar: SIMILAR_DEFAULT });
  const text = new Map<unknown, number>();
  for (const tier of Object.keys(TIER_WORDS)) report.groups.filter((g) => g.tier === tier).forEach((g, i) => text.set(g, i + 1));
  const headings: { tier: string; n: number; shown: number; count: number }[] = [];
  await writeDedupeSheet(report, path.join(root, 'sheet.png'), {
    heading: (g, n, shown) => (headings.push({ tier: g.tier, n, shown, count: g.members.length }), ''),
    label: () => [],
  });
  assert.ok(headings.length >= 3);
  for (const h of headings) {
    const g = report.groups.find((x) => x.tier === h.tier && text.get(x) === h.n);
    assert.ok(g, `sheet #${h.n} ${h.tier} is the text's #${h.n} ${h.tier}`);
    assert.equal(h.count, g.members.length);
  }
  const sticker = report.groups.find((g) => g.members.some((m) => m.path === t.sticker[0]))!;
  const stickerHead = headings.find((h) => h.tier === sticker.tier && h.n === text.get(sticker))!;
  assert.deepEqual([stickerHead.count > 6, stickerHead.shown], [true, 6], 'a row shows six tiles of a larger group, and says so');
  const order = (h: { tier: string; n: number }) => Object.keys(TIER_WORDS).indexOf(h.tier) * 1000 + h.n;
  assert.deepEqual(headings.map(order), headings.map(order).sort((a, b) => a - b), 'in the text\'s order');
});
