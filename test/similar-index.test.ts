import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hammingHex } from '../src/media/hamming.js';
import { CANDIDATE_DHASH, SimilarIndex } from '../src/core/dedupe/similar-index.js';

/** A small deterministic generator (mulberry32), so the test sees the same hashes every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (words: number[]) => words.map((w) => (w >>> 0).toString(16).padStart(8, '0')).join('');
const flip = (h: string, bits: number, rand: () => number) => {
  const words = h.match(/.{8}/g)!.map((w) => parseInt(w, 16));
  const chosen = new Set<number>();
  while (chosen.size < bits) chosen.add(Math.floor(rand() * words.length * 32));
  for (const b of chosen) words[b >> 5] ^= 1 << (31 - (b & 31));
  return hex(words);
};

test('the index finds exactly the pairs a comparison of every pair finds, within both distances', () => {
  const rand = random(7);
  const pictures: { d: string; p: string }[] = [];
  for (let i = 0; i < 600; i++) {
    // Families of near copies: a few bits of each hash flipped, some beyond the candidate radius.
    const base = { d: hex([rand() * 2 ** 32, rand() * 2 ** 32]), p: hex(Array.from({ length: 8 }, () => rand() * 2 ** 32)) };
    pictures.push(base);
    for (let k = 0; k < 3; k++) pictures.push({ d: flip(base.d, Math.floor(rand() * 16), rand), p: flip(base.p, Math.floor(rand() * 80), rand) });
  }
  const index = new SimilarIndex();
  for (const p of pictures) index.add(p.d, p.p);
  for (const threshold of [0, 20, 60, 90]) {
    const found = new Set([...index.pairs(threshold)].map((x) => `${x.a}-${x.b}`));
    const expected = new Set<string>();
    for (let a = 0; a < pictures.length; a++) {
      for (let b = a + 1; b < pictures.length; b++) {
        if (hammingHex(pictures[a].d, pictures[b].d) <= CANDIDATE_DHASH && hammingHex(pictures[a].p, pictures[b].p) <= threshold) expected.add(`${a}-${b}`);
      }
    }
    assert.deepEqual(found, expected, `threshold ${threshold}`);
    if (threshold >= 60) assert.ok(expected.size > 100, 'the families make enough pairs to test');
  }
});

test('each pair comes once, with its pHash distance', () => {
  const index = new SimilarIndex();
  const d = '0123456789abcdef';
  const p = 'f'.repeat(64);
  index.add(d, p);
  index.add(d, 'e' + 'f'.repeat(63));
  index.add('fedcba9876543210', p);
  assert.deepEqual([...index.pairs(10)], [{ a: 0, b: 1, distance: 1 }]);
});
