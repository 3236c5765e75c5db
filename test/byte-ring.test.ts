import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteRing } from '../src/core/byte-ring.js';

test('ByteRing hands out regions first in, first out, never two live regions over the same bytes', () => {
  const capacity = 1000;
  const ring = new ByteRing(new SharedArrayBuffer(capacity));
  const live: { offset: number; size: number }[] = [];
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  let taken = 0;
  for (let step = 0; step < 20_000; step++) {
    if (live.length > 0 && (random() < 0.45 || live.length > 30)) {
      ring.giveBack();
      live.shift();
      continue;
    }
    const size = 1 + Math.floor(random() * (capacity / 2));
    const region = ring.take(size);
    if (!region) {
      // Only refused when the ring is busy: an empty ring always has room for half of itself.
      assert.ok(live.length > 0, `refused ${size} bytes with nothing taken`);
      continue;
    }
    taken++;
    assert.equal(region.size, size);
    assert.ok(region.offset >= 0 && region.offset + size <= capacity, 'inside the memory');
    for (const other of live) {
      const apart = region.offset + size <= other.offset || other.offset + other.size <= region.offset;
      assert.ok(apart, `[${region.offset}, ${region.offset + size}) overlaps a live [${other.offset}, ${other.offset + other.size})`);
    }
    live.push(region);
  }
  assert.ok(taken > 5_000, `${taken} regions handed out`);
  assert.equal(ring.take(capacity + 1), null, 'more than the ring holds is refused');
});
