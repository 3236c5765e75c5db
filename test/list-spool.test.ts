import assert from 'node:assert/strict';
import { test } from 'node:test';
import { json, jsonStreamed, type CliContext } from '../src/cli/context.js';
import { ListSpool } from '../src/engine/list-spool.js';
import { Reservoir } from '../src/engine/reservoir.js';

type Item = { n: number; path: string; size: number };

function fill(limit: number, count = 250): { list: ListSpool<Item>; items: Item[] } {
  const list = new ListSpool<Item>(limit);
  const items: Item[] = [];
  for (let n = 0; n < count; n++) {
    const item = { n, path: `D:\\聊天\\图片 "${n}".jpg`, size: n * 1000 };
    items.push(item);
    list.add(item);
  }
  return { list, items };
}

for (const [how, limit] of [['held in memory', 1_000], ['spilled to disk', 10]] as const) {
  test(`a list read in chunks comes back whole and in order, as often as asked (${how})`, () => {
    const { list, items } = fill(limit);
    try {
      assert.equal(list.spilled, limit < items.length);
      assert.equal(list.size, items.length);
      const chunks = [...list.chunks(16)];
      assert.ok(chunks.every((c) => c.length > 0 && c.length <= 16), `chunk sizes ${chunks.map((c) => c.length)}`);
      assert.deepEqual(chunks.flat(), items);
      assert.deepEqual([...list.chunks(1000)].flat(), items, 'reading does not consume');
      assert.deepEqual(list.first(3, (i) => i.n % 50 === 49).map((i) => i.n), [49, 99, 149]);
      list.add({ n: 250, path: 'later', size: 0 });
      assert.deepEqual([...list.chunks()].flat().at(-1)?.path, 'later', 'items added after a read come in the next');
    } finally {
      list.close();
    }
  });

  test(`a list prints as the same JSON document whether streamed or whole (${how})`, async () => {
    const { list, items } = fill(limit, 40);
    const printed = async (print: (ctx: CliContext) => void | Promise<void>) => {
      const lines: string[] = [];
      await print({ out: (s: string) => void lines.push(s), drain: () => Promise.resolve() } as unknown as CliContext);
      return JSON.parse(lines.join('\n')) as unknown;
    };
    try {
      const head = { dryRun: true, sources: ['C:\\QQ', '/home/李'], selection: { before: '2024-06-01' } };
      assert.deepEqual(await printed((ctx) => jsonStreamed(ctx, { ...head, remove: list, keep: new ListSpool(), bytes: 5, skipped: undefined })), {
        ...head, remove: items, keep: [], bytes: 5,
      });
      assert.deepEqual(await printed((ctx) => json(ctx, { items })), await printed((ctx) => jsonStreamed(ctx, { items: list })));
    } finally {
      list.close();
    }
  });
}

test('the preview sample is uniform: every candidate is as likely to be shown', () => {
  const seen = new Array<number>(100).fill(0);
  const trials = 20_000;
  for (let t = 0; t < trials; t++) {
    const r = new Reservoir<number>(10);
    for (let i = 0; i < 100; i++) r.offer(i);
    assert.equal(r.items.length, 10);
    assert.equal(new Set(r.items).size, 10);
    for (const i of r.items) seen[i]++;
  }
  // Each is in with chance 10/100: 2 000 of 20 000 trials, standard deviation 42.
  for (const [i, count] of seen.entries()) assert.ok(Math.abs(count - trials / 10) < 300, `item ${i} shown ${count} times`);
  const few = new Reservoir<number>(24);
  for (let i = 0; i < 5; i++) few.offer(i);
  assert.deepEqual(few.items, [0, 1, 2, 3, 4]);
});
