import { decodeDatProven, identifyDat, pictureTypeOf, wechatAesKeys, xorInto } from './dat.js';

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
  // signature's bytes, and the result is a picture type picvault archives), but XORed into a kept
  // buffer rather than into a new one.
  const out = into(bytes.length);
  xorInto(bytes, info.xorKey!, out);
  return (await pictureTypeOf(out)) ? out : bytes;
}
