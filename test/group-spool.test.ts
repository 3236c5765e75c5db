import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GroupSpool } from '../src/engine/group-spool.js';

type Item = { group: string; n: number; path: string };

/** 250 items over three groups, interleaved as a scan finds them; one group far larger than the others. */
function fill(limit: number): { spool: GroupSpool<Item>; items: Item[] } {
  const spool = new GroupSpool<Item>((i) => i.group, limit);
  const items: Item[] = [];
  for (let n = 0; n < 250; n++) {
    const item = { group: n % 5 === 0 ? 'b' : n % 7 === 0 ? 'c' : 'a', n, path: `D:\\聊天\\图片 ${n}.jpg` };
    items.push(item);
    spool.add(item);
  }
  return { spool, items };
}

for (const [how, limit] of [['held in memory', 1_000], ['spilled to disk', 10]] as const) {
  test(`a group taken in chunks comes back whole, in order, never more than the chunk at a time (${how})`, () => {
    const { spool, items } = fill(limit);
    try {
      assert.equal(spool.spilled, limit < items.length);
      assert.deepEqual(spool.keys(), ['a', 'b', 'c']);
      for (const key of ['a', 'b', 'c']) {
        const chunks = [...spool.takeInChunks(key, 16)];
        assert.ok(chunks.every((c) => c.length > 0 && c.length <= 16), `chunk sizes ${chunks.map((c) => c.length)}`);
        assert.deepEqual(chunks.flat(), items.filter((i) => i.group === key));
      }
    } finally {
      spool.close();
    }
  });
}
