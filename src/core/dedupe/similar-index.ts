import { hamming, hexWords } from '../../media/hamming.js';

/**
 * Finds the pairs of pictures whose perceptual hashes are close (media/perceptual.ts), without
 * comparing every picture with every other: a multi-index hash (Norouzi et al., "Fast Search in
 * Hamming Space with Multi-Index Hashing") over the 64-bit dHash.
 *
 * The dHash is cut into four 16-bit blocks, each indexed by its value. Two hashes that differ in
 * at most CANDIDATE_DHASH = 11 bits agree within 2 bits on at least one block (pigeonhole: 4 × 3 >
 * 11), so each picture looks up the 137 values within 2 bits of each of its blocks and meets every
 * such neighbour. A candidate is then confirmed by its full dHash distance and by the 256-bit pHash
 * within the threshold asked for. On the labelled set every true pair but 0.7 % is within 11 dHash
 * bits (docs/dedupe.md).
 */
export const CANDIDATE_DHASH = 11;
const BLOCKS = 4;
const BLOCK_BITS = 16;
const PHASH_WORDS = 8;

/** Every 16-bit value within 2 bits of 0, as XOR masks: 1 + 16 + 120. */
const MASKS = (() => {
  const masks = [0];
  for (let i = 0; i < BLOCK_BITS; i++) {
    masks.push(1 << i);
    for (let j = i + 1; j < BLOCK_BITS; j++) masks.push((1 << i) | (1 << j));
  }
  return masks;
})();

export interface SimilarPair {
  a: number;
  b: number;
  /** Differing bits of the 256-bit pHashes. */
  distance: number;
}

export class SimilarIndex {
  private dhash = new Uint32Array(2 * 1024);
  private phash = new Uint32Array(PHASH_WORDS * 1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds a picture's hashes (hex); returns its number, 0, 1, 2, … in the order added. */
  add(dhash: string, phash: string): number {
    if (this.count * 2 === this.dhash.length) {
      this.dhash = grow(this.dhash);
      this.phash = grow(this.phash);
    }
    this.dhash.set(hexWords(dhash), this.count * 2);
    this.phash.set(hexWords(phash), this.count * PHASH_WORDS);
    return this.count++;
  }

  /** The distance of two added pictures' pHashes. */
  distance(a: number, b: number): number {
    return hamming(this.phash, a * PHASH_WORDS, this.phash, b * PHASH_WORDS, PHASH_WORDS);
  }

  /** Block k (0 is the most significant) of picture i's dHash. */
  private block(i: number, k: number): number {
    const word = this.dhash[i * 2 + (k >> 1)];
    return k % 2 === 0 ? word >>> 16 : word & 0xffff;
  }

  /** Every pair within `maxDistance` pHash bits (and CANDIDATE_DHASH dHash bits), each once, a < b. */
  *pairs(maxDistance: number): Generator<SimilarPair> {
    const n = this.count;
    // Per block, the pictures sorted by that block's value, and where each value starts.
    const tables = Array.from({ length: BLOCKS }, (_, k) => {
      const starts = new Int32Array((1 << BLOCK_BITS) + 1);
      for (let i = 0; i < n; i++) starts[this.block(i, k) + 1]++;
      for (let v = 0; v < 1 << BLOCK_BITS; v++) starts[v + 1] += starts[v];
      const items = new Int32Array(n);
      const next = starts.slice(0, -1);
      for (let i = 0; i < n; i++) items[next[this.block(i, k)]++] = i;
      return { starts, items };
    });
    // The last picture each candidate was met for: a neighbour met through two blocks is checked once.
    const met = new Int32Array(n).fill(-1);
    for (let a = 0; a < n; a++) {
      for (let k = 0; k < BLOCKS; k++) {
        const { starts, items } = tables[k];
        const value = this.block(a, k);
        for (const mask of MASKS) {
          const v = value ^ mask;
          for (let s = starts[v]; s < starts[v + 1]; s++) {
            const b = items[s];
            if (b <= a || met[b] === a) continue;
            met[b] = a;
            if (hamming(this.dhash, a * 2, this.dhash, b * 2, 2) > CANDIDATE_DHASH) continue;
            const distance = this.distance(a, b);
            if (distance <= maxDistance) yield { a, b, distance };
          }
        }
      }
    }
  }
}

function grow(words: Uint32Array): Uint32Array<ArrayBuffer> {
  const bigger = new Uint32Array(words.length * 2);
  bigger.set(words);
  return bigger;
}

/**
 * `--similar` without a number, in differing bits of the 256-bit pHash: on the labelled set
 * (bench/similar-labels.ts) the first wrong pair comes at 64; this is the largest multiple of 4
 * below it (precision 1.000, recall 0.914 there; docs/dedupe.md).
 */
export const SIMILAR_DEFAULT = 60;
