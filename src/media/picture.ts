import { decodeDatProven, identifyDat, pictureTypeOf, wechatAesKeys, xorInto } from './dat.js';
import { hash64, streamHash64 } from './hash.js';
import { sniffImage, type ImageExt } from './sniff.js';

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
  if (info.format !== 'wechat3') return decodedV4(bytes, wechatKey);
  // 3.x, a whole chat cache of them: proven as decodeDatProven proves it (the key agrees on the
  // signature's bytes, and the result is a picture type picvault archives), but XORed into a kept
  // buffer rather than into a new one.
  const out = into(bytes.length);
  xorInto(bytes, info.xorKey!, out);
  return (await pictureTypeOf(out)) ? out : bytes;
}

/** A 4.x .dat's picture when its decoding is proven, else its own bytes. */
const decodedV4 = async (bytes: Buffer, wechatKey?: string): Promise<Buffer> => (await decodeDatProven(bytes, { aesKeys: wechatAesKeys(wechatKey) }))?.picture ?? bytes;

/** What a copy shows, as dedupe knows it: the picture's hash, size and type. */
export interface ShownPicture {
  picture: string;
  pictureSize: number;
  /** The picture's type; for a .dat that shows itself `dat`, or `bin` for wxgf; null when not an image. */
  ext: ImageExt | null;
}

const WXGF = Buffer.from('wxgf');

/** The type of what a copy shows (see ShownPicture). */
export async function shownType(picture: Buffer, bytes: Buffer, isDat: boolean): Promise<ImageExt | null> {
  return (await sniffImage(picture.subarray(0, 4100))) ?? (bytes.subarray(0, 4).equals(WXGF) ? 'bin' : isDat ? 'dat' : null);
}

/**
 * What a file shows (`pictureBytes`), known by its hash without keeping the picture's bytes: a
 * WeChat 3.x .dat, most of a chat cache, is XORed and hashed a piece at a time through `piece`, so
 * its bytes pass through the CPU once, in its cache, instead of being written out whole and read
 * again to hash. `fileHash` is the file's own hash, the picture's when it shows itself.
 */
export async function shownPicture(bytes: Buffer, fileHash: string, isDat: boolean, piece: Buffer, wechatKey?: string): Promise<ShownPicture> {
  const info = isDat ? identifyDat(bytes.subarray(0, 16)) : null;
  if (info?.format === 'wechat3') {
    const head = piece.subarray(0, Math.min(piece.length, bytes.length));
    xorInto(bytes.subarray(0, head.length), info.xorKey!, head);
    // Proven as pictureBytes proves it: the key agrees on the signature, and the head sniffs as a picture.
    const ext = await pictureTypeOf(head);
    if (ext) {
      const h = streamHash64();
      h.update(head);
      for (let at = head.length; at < bytes.length; at += piece.length) {
        const part = bytes.subarray(at, at + piece.length);
        const out = piece.subarray(0, part.length);
        xorInto(part, info.xorKey!, out);
        h.update(out);
      }
      return { picture: h.digest(), pictureSize: bytes.length, ext };
    }
  }
  const picture = info && info.format !== 'wechat3' ? await decodedV4(bytes, wechatKey) : bytes;
  return { picture: picture === bytes ? fileHash : hash64(picture), pictureSize: picture.length, ext: await shownType(picture, bytes, isDat) };
}
