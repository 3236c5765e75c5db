/**
 * Differing bits between hashes kept as 32-bit words (media/perceptual.ts makes them; the similar
 * index compares them). Apart from perceptual.ts so that comparing loads no image library.
 */

/** Bits set in a 32-bit integer. */
function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** A hash's hex digits as 32-bit words, for counting differing bits fast. */
export function hexWords(hex: string): Uint32Array {
  const words = new Uint32Array(hex.length >> 3);
  for (let i = 0; i < words.length; i++) words[i] = parseInt(hex.slice(i * 8, i * 8 + 8), 16);
  return words;
}

/**
 * The number of differing bits between two hashes of `words` 32-bit words, the first at word `at`
 * of `a`, the second at word `bt` of `b` (an index keeps many hashes in one array).
 */
export function hamming(a: Uint32Array, at: number, b: Uint32Array, bt: number, words: number): number {
  let n = 0;
  for (let i = 0; i < words; i++) n += popcount32(a[at + i] ^ b[bt + i]);
  return n;
}

/** The same, of two hashes of one length as hex digits. */
export const hammingHex = (a: string, b: string) => hamming(hexWords(a), 0, hexWords(b), 0, a.length >> 3);
