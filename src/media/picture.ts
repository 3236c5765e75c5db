import { decodeDatProven, identifyDat, wechatAesKeys } from './dat.js';
import { sniffImage } from './sniff.js';

/**
 * The picture a file shows (SPEC "Duplicates": the same-picture tier): a WeChat .dat shows the
 * image it hides when its decoding is proven (media/dat.ts, docs/wechat-dat.md), any other file
 * shows its own bytes. Two places show the same picture when these bytes hash the same: a .dat
 * and the plain JPEG it hides, two .dat under different keys, a 3.x and a 4.x one.
 *
 * This is the one place dedupe asks it of a file, so that it can switch: once picture identity
 * lands, the vault stores a .dat as its picture and knows its picture hash. A .dat whose decoding
 * is not proven (4.x V2 without the key, an unknown variant, wxgf) shows itself.
 */
export async function pictureBytes(bytes: Buffer, isDat: boolean, into: (size: number) => Buffer, wechatKey?: string): Promise<Buffer> {
  if (!isDat) return bytes;
  const info = identifyDat(bytes.subarray(0, 16));
  if (!info) return bytes;
  if (info.format !== 'wechat3') return (await decodeDatProven(bytes, { aesKeys: wechatAesKeys(wechatKey) }))?.picture ?? bytes;
  // 3.x, a whole chat cache of them: proven as decodeDatProven proves it (the key agrees on the
  // signature's bytes, and the result is a picture type picvault archives), but XORed eight bytes
  // at a time into a kept buffer rather than a byte at a time into a new one (V8 runs a
  // BigUint64Array loop about twice as fast as an Int32Array one).
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
  const ext = await sniffImage(out.subarray(0, 4100));
  return ext && ext !== 'dat' && ext !== 'bin' ? out : bytes;
}
