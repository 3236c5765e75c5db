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
  // 3.x, a whole chat cache of them: XORed a word at a time into a kept buffer, not a byte at a
  // time into a new one.
  const out = into(bytes.length);
  const key = info.xorKey!;
  const word = (key | (key << 8) | (key << 16) | (key << 24)) >>> 0;
  const aligned = bytes.byteOffset % 4 === 0 && out.byteOffset % 4 === 0;
  const words = aligned ? bytes.length >> 2 : 0;
  if (words > 0) {
    const from = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
    const to = new Uint32Array(out.buffer, out.byteOffset, words);
    for (let i = 0; i < words; i++) to[i] = from[i] ^ word;
  }
  for (let i = words * 4; i < bytes.length; i++) out[i] = bytes[i] ^ key;
  return out;
}
