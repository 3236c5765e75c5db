import { decodeDat, identifyDat } from './dat.js';

/**
 * The picture a file shows (SPEC "Duplicates": the same-picture tier): a WeChat .dat shows the
 * image it hides, any other file shows its own bytes. Two places show the same picture when these
 * bytes hash the same: a .dat and the plain JPEG it hides, two .dat under different keys.
 *
 * This is the one place dedupe asks it, so that it can switch: once issue 18's proven decoding
 * and picture identity land, the vault stores a .dat as its picture and knows its picture hash.
 * A .dat that cannot be decoded (4.x V2 without the key, an unknown variant) shows itself.
 */
export function pictureBytes(bytes: Buffer, isDat: boolean, into: (size: number) => Buffer, wechatKey?: string): Buffer {
  if (!isDat) return bytes;
  const info = identifyDat(bytes.subarray(0, 16), bytes.subarray(bytes.length - 2));
  if (!info) return bytes;
  if (info.format !== 'wechat3') return decodeDat(bytes, { wechatKey }) ?? bytes;
  // 3.x, a whole chat cache of them: XORed eight bytes at a time into a kept buffer, not a byte at a
  // time into a new one (V8 runs a BigUint64Array loop about twice as fast as an Int32Array one).
  const out = into(bytes.length);
  const key = info.xorKey!;
  const aligned = bytes.byteOffset % 8 === 0 && out.byteOffset % 8 === 0;
  const words = aligned ? bytes.length >> 3 : 0;
  if (words > 0) {
    const word = BigInt(key) * 0x0101010101010101n;
    const from = new BigUint64Array(bytes.buffer, bytes.byteOffset, words);
    const to = new BigUint64Array(out.buffer, out.byteOffset, words);
    for (let i = 0; i < words; i++) to[i] = from[i] ^ word;
  }
  for (let i = words * 8; i < bytes.length; i++) out[i] = bytes[i] ^ key;
  return out;
}
