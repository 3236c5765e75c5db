import { createCipheriv, createDecipheriv } from 'node:crypto';
import { sniffImage, type ImageExt } from './sniff.js';

/**
 * WeChat's obfuscated image files (SPEC "Sources and dates"), decoded only when the decoding is
 * proven, and rebuilt exactly from the picture and a recipe (SPEC "Picture identity").
 *
 * 3.x: the whole file XORed with one byte. The key is found from the picture's signature and
 *      confirmed on at least four of its bytes (docs/wechat-dat.md): certain from the head alone,
 *      whatever follows (a truncated JPEG, data after its end marker, a HEIC).
 * 4.x: a 15-byte header `07 08 56 3x 08 07`, u32 LE aes_len, u32 LE xor_len, one byte; then
 *      AES-128-ECB (PKCS7) over the first aes_len bytes (stored padded to the next 16, a full
 *      block more when aligned), the middle raw, the last xor_len bytes XORed with one byte that
 *      the file does not carry. V1's AES key is fixed; V2's is the account's (--wechat-key).
 */
export type DatFormat = 'wechat3' | 'wechat4-v1' | 'wechat4-v2';

export const V1_KEY = Buffer.from('cfcd208495d565ef', 'ascii');
const V4_MAGIC = Buffer.from([0x07, 0x08, 0x56, 0x31, 0x08, 0x07]);
const V4_HEADER = 15;

/**
 * What rebuilds the exact .dat from its picture, with no key: plain JSON (bytes as hex or base64),
 * so it can travel in a manifest. 4.x keeps its header and its AES-encrypted head as stored.
 */
export type DatRecipe =
  | { format: 'wechat3'; xorKey: number }
  | { format: 'wechat4-v1' | 'wechat4-v2'; header: string; encryptedHead: string; xorKey: number };

const isByte = (k: unknown) => Number.isInteger(k) && (k as number) >= 0 && (k as number) <= 255;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Why a value read from a manifest or the catalogue is not a recipe rebuildDat can use, or null
 * when it is: a known format, an XOR key of one byte, and for 4.x a 15-byte header that is a V1 or
 * V2 header of that very format, with the encrypted head as long as the header's AES length says.
 * Whether it fits its picture is rebuildDat's to check, and whether it rebuilds the file is
 * proven by the hash (picture-identity.ts).
 */
export function recipeProblem(recipe: unknown): string | null {
  if (typeof recipe !== 'object' || recipe === null) return 'not an object';
  const r = recipe as Record<string, unknown>;
  if (!isByte(r.xorKey)) return 'xorKey is not a byte';
  if (r.format === 'wechat3') return Object.keys(r).length === 2 ? null : 'unexpected fields';
  if (r.format !== 'wechat4-v1' && r.format !== 'wechat4-v2') return 'unknown format';
  if (Object.keys(r).length !== 4) return 'unexpected fields';
  if (typeof r.header !== 'string' || !/^[0-9a-f]{30}$/.test(r.header)) return 'header is not 15 bytes of lowercase hex';
  const header = Buffer.from(r.header, 'hex');
  if (!isV4(header) || (header[3] === 0x31) !== (r.format === 'wechat4-v1')) return `header is not a ${r.format} header`;
  if (typeof r.encryptedHead !== 'string' || !BASE64.test(r.encryptedHead)) return 'encryptedHead is not base64';
  if (Buffer.from(r.encryptedHead, 'base64').length !== paddedLength(header.readUInt32LE(6))) return "encryptedHead's length does not match the header";
  return null;
}

export interface ProvenDat {
  picture: Buffer;
  pictureExt: ImageExt;
  recipe: DatRecipe;
}

/** What a decode may use besides the file itself. */
export interface DatKeys {
  /** V2 AES key candidates (wechatAesKeys); the AES check tells which one is right. */
  aesKeys?: readonly Buffer[];
  /** The 4.x tail XOR key of the file's account, learned from its other files (AccountXorKeys). */
  accountXorKey?: number;
}

/**
 * Picture signatures a 3.x key is searched with: [offset, byte] pairs, at least four, every one of
 * which must agree on one key. Two-byte magics (BMP's "BM") are lengthened with bytes the format
 * fixes (BMP's reserved zeros), so a key is never taken on two bytes' word.
 */
const SIGNATURES: [number, number][][] = [
  [[0, 0xff], [1, 0xd8], [2, 0xff]], // JPEG; its fourth byte is a marker, checked below
  [[0, 0x89], [1, 0x50], [2, 0x4e], [3, 0x47], [4, 0x0d], [5, 0x0a], [6, 0x1a], [7, 0x0a]], // PNG
  [[0, 0x47], [1, 0x49], [2, 0x46], [3, 0x38], [5, 0x61]], // GIF8?a
  [[0, 0x42], [1, 0x4d], [6, 0], [7, 0], [8, 0], [9, 0]], // BMP, reserved fields zero
  [[0, 0x49], [1, 0x49], [2, 0x2a], [3, 0x00]], // TIFF, little-endian
  [[0, 0x4d], [1, 0x4d], [2, 0x00], [3, 0x2a]], // TIFF, big-endian
  [[0, 0x52], [1, 0x49], [2, 0x46], [3, 0x46], [8, 0x57], [9, 0x45], [10, 0x42], [11, 0x50]], // RIFF....WEBP
  [[0, 0x00], [1, 0x00], [4, 0x66], [5, 0x74], [6, 0x79], [7, 0x70]], // ISO-BMFF ftyp: HEIC, AVIF
  [[0, 0x77], [1, 0x78], [2, 0x67], [3, 0x66]], // wxgf, WeChat's HEVC wrapper
];

/** A JPEG's fourth byte starts its first segment: a marker, C0 to FE. */
const isJpegMarker = (b: number) => b >= 0xc0 && b <= 0xfe;

/** The one key under which head starts with a picture signature, confirmed on every byte of it; null when none. */
export function findXorKey(head: Uint8Array): number | null {
  for (const sig of SIGNATURES) {
    if (head.length <= sig[sig.length - 1][0]) continue;
    const key = head[sig[0][0]] ^ sig[0][1];
    if (!sig.every(([at, b]) => (head[at] ^ key) === b)) continue;
    if (sig[0][1] === 0xff && !(head.length > 3 && isJpegMarker(head[3] ^ key))) continue;
    return key;
  }
  return null;
}

const isV4 = (head: Uint8Array) => head.length >= V4_HEADER && V4_MAGIC.every((b, i) => i === 3 || head[i] === b) && (head[3] === 0x31 || head[3] === 0x32);

/** What kind of .dat this is, from its first bytes; null when it is none WeChat writes. */
export function identifyDat(head: Uint8Array): { format: DatFormat; xorKey?: number } | null {
  if (isV4(head)) return { format: head[3] === 0x31 ? 'wechat4-v1' : 'wechat4-v2' };
  const xorKey = findXorKey(head);
  return xorKey === null ? null : { format: 'wechat3', xorKey };
}

/**
 * The AES keys a --wechat-key may mean. People have it in three forms: the 16 characters WeChat
 * uses (as macOS tools print md5(uin + wxid)[:16]), those 16 bytes as 32 hex digits (as chatlog
 * and others print `img_key`), or a whole 32-hex md5 whose first 16 characters are the key. A
 * 32-hex value is tried both ways; the AES check on each file tells which is right.
 */
export function wechatAesKeys(wechatKey: string | undefined): Buffer[] {
  if (!wechatKey) return [];
  if (/^[0-9a-f]{32}$/i.test(wechatKey)) return [Buffer.from(wechatKey, 'hex'), Buffer.from(wechatKey.slice(0, 16), 'latin1')];
  return wechatKeyProblem(wechatKey) ? [] : [Buffer.from(wechatKey, 'latin1')];
}

/** Why a --wechat-key cannot be a key (a message key), or null when it can. */
export function wechatKeyProblem(wechatKey: string): string | null {
  if (/^[0-9a-f]{32}$/i.test(wechatKey)) return null;
  if (/^[\x21-\x7e]{16}$/.test(wechatKey)) return null;
  return /^[0-9a-f]+$/i.test(wechatKey) ? 'wechatKey.hexLength' : 'wechatKey.bad';
}

/**
 * Bytes XORed with one byte into `out` (which may be `bytes` itself), eight at a time where both
 * are aligned alike (at 0 for a buffer of its own): a byte at a time, a 3 MB photo took several
 * times its hashing, and archive decodes every 3.x .dat it reads. V8 runs a BigUint64Array loop
 * twice as fast as a Uint32Array one (7.5 against 3.5 GB/s here).
 */
export function xorInto(bytes: Uint8Array, key: number, out: Uint8Array): void {
  let i = 0;
  if ((bytes.byteOffset & 7) === (out.byteOffset & 7)) {
    for (; i < bytes.length && ((bytes.byteOffset + i) & 7) !== 0; i++) out[i] = bytes[i] ^ key;
    const words = (bytes.length - i) >>> 3;
    if (words > 0) {
      const from = new BigUint64Array(bytes.buffer, bytes.byteOffset + i, words);
      const to = new BigUint64Array(out.buffer, out.byteOffset + i, words);
      const key64 = BigInt(key) * 0x0101010101010101n;
      for (let w = 0; w < words; w++) to[w] = from[w] ^ key64;
      i += words * 8;
    }
  }
  for (; i < bytes.length; i++) out[i] = bytes[i] ^ key;
}

const xorWith = (bytes: Uint8Array, key: number): Buffer => {
  const out = Buffer.allocUnsafe(bytes.length);
  xorInto(bytes, key, out);
  return out;
};

/** XORs bytes with one byte where they lie: a 3.x .dat becomes its picture, and back, with no copy. */
export const xorInPlace = (bytes: Uint8Array, key: number): void => xorInto(bytes, key, bytes);

/** AES-stored length: aes_len padded by PKCS7, always at least one byte of padding. */
const paddedLength = (n: number) => n - (n % 16) + 16;

interface V4Parts {
  format: 'wechat4-v1' | 'wechat4-v2';
  header: Buffer;
  encryptedHead: Buffer;
  head: Buffer;
  middle: Buffer;
  tail: Buffer;
}

/** A 4.x file split, its head decrypted by the first key that passes the AES check; null when none does. */
function openV4(bytes: Buffer, aesKeys: readonly Buffer[]): V4Parts | null {
  const format = bytes[3] === 0x31 ? 'wechat4-v1' : 'wechat4-v2';
  const aesLen = bytes.readUInt32LE(6);
  const xorLen = bytes.readUInt32LE(10);
  const body = bytes.subarray(V4_HEADER);
  const stored = paddedLength(aesLen);
  if (stored + xorLen > body.length) return null;
  for (const key of format === 'wechat4-v1' ? [V1_KEY] : aesKeys) {
    if (key.length !== 16) continue;
    let head: Buffer;
    try {
      const decipher = createDecipheriv('aes-128-ecb', key, null);
      head = Buffer.concat([decipher.update(body.subarray(0, stored)), decipher.final()]);
    } catch {
      continue; // bad padding: not this key
    }
    // A wrong key passes the padding check about once in 256 tries; a picture starts with its signature.
    if (head.length !== aesLen || findXorKey(head) !== 0) continue;
    return {
      format, header: bytes.subarray(0, V4_HEADER), encryptedHead: body.subarray(0, stored), head,
      middle: body.subarray(stored, body.length - xorLen), tail: body.subarray(body.length - xorLen),
    };
  }
  return null;
}

/** End markers that confirm a 4.x tail key: JPEG's EOI, PNG's whole IEND chunk, GIF's last block terminator and trailer. */
const END_MARKERS: Partial<Record<ImageExt, number[]>> = {
  jpg: [0xff, 0xd9],
  png: [0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82],
  gif: [0x00, 0x3b],
};

/** The byte at position i from the end of head + middle + (tail XOR key). */
function pictureByteFromEnd(p: V4Parts, i: number, key: number): number | undefined {
  if (i < p.tail.length) return p.tail[p.tail.length - 1 - i] ^ key;
  i -= p.tail.length;
  if (i < p.middle.length) return p.middle[p.middle.length - 1 - i];
  i -= p.middle.length;
  return i < p.head.length ? p.head[p.head.length - 1 - i] : undefined;
}

/**
 * The tail key the picture's own end marker confirms, on every byte of the marker; null when the
 * picture type has none or its bytes do not end in it (a truncated JPEG, an Ultra HDR gain map
 * that ends otherwise, a WebP).
 */
function tailKeyFromEndMarker(p: V4Parts, ext: ImageExt): number | null {
  const marker = END_MARKERS[ext];
  if (!marker || p.tail.length === 0) return null;
  const key = p.tail[p.tail.length - 1] ^ marker[marker.length - 1];
  for (let i = 0; i < marker.length; i++) {
    if (pictureByteFromEnd(p, i, key) !== marker[marker.length - 1 - i]) return null;
  }
  return key;
}

/**
 * The picture inside a .dat, with the recipe that rebuilds the .dat, only when the decoding is
 * proven (docs/wechat-dat.md); null otherwise, and never a guess:
 * - 3.x: the key is confirmed on four or more signature bytes;
 * - 4.x: the AES head decrypts with valid padding to a picture signature, and the tail's XOR key
 *   is confirmed by the picture's own end marker or, where it has none, is the account's key
 *   (learned from its other files); when both are known they must agree. No tail, no key needed.
 * Either way the picture must be a type picvault archives (wxgf is not: it stays a .dat), and the
 * recipe must rebuild the very bytes given. Never throws: an undecodable .dat is archived raw.
 */
export async function decodeDatProven(bytes: Buffer, keys: DatKeys = {}): Promise<ProvenDat | null> {
  const got = await tryDecodeDat(bytes, keys);
  return typeof got === 'string' ? null : got;
}

/**
 * decodeDatProven, telling apart the two cases a key could still settle: a 4.x picture whose head
 * is proven but which has no end marker to confirm its tail key, and no account key was given
 * (`needs-account-key`); a V2 file none of the AES keys given opens (`needs-v2-key`).
 */
export async function tryDecodeDat(bytes: Buffer, keys: DatKeys = {}): Promise<ProvenDat | 'needs-account-key' | 'needs-v2-key' | null> {
  const info = identifyDat(bytes.subarray(0, 16));
  if (!info) return null;
  let picture: Buffer;
  let recipe: DatRecipe;
  if (info.format === 'wechat3') {
    picture = xorWith(bytes, info.xorKey!);
    recipe = { format: 'wechat3', xorKey: info.xorKey! };
  } else {
    const parts = openV4(bytes, keys.aesKeys ?? []);
    if (!parts) return info.format === 'wechat4-v2' ? 'needs-v2-key' : null;
    const ext = await sniffImage(parts.head);
    if (!ext) return null;
    let xorKey = 0;
    if (parts.tail.length > 0) {
      const own = tailKeyFromEndMarker(parts, ext);
      const account = keys.accountXorKey;
      if (own !== null && account !== undefined && own !== account) return null;
      const found = own ?? account;
      if (found === undefined) return 'needs-account-key';
      xorKey = found;
    }
    picture = Buffer.concat([parts.head, parts.middle, xorWith(parts.tail, xorKey)]);
    recipe = { format: parts.format, header: parts.header.toString('hex'), encryptedHead: parts.encryptedHead.toString('base64'), xorKey };
  }
  const pictureExt = await pictureTypeOf(picture);
  if (!pictureExt) return null;
  if (!rebuildDat(picture, recipe).equals(bytes)) return null;
  return { picture, pictureExt, recipe };
}

/** A decoded picture's type when it is one picvault stores as a picture (wxgf and the unknown are not: they stay .dat). */
export async function pictureTypeOf(picture: Buffer): Promise<ImageExt | null> {
  const ext = await sniffImage(picture.subarray(0, 4100));
  return ext && ext !== 'dat' && ext !== 'bin' ? ext : null;
}

/**
 * The tail XOR key a 4.x file's own end marker confirms (what an account's key is learned from);
 * null for a 3.x file, an undecodable head, a picture without an end marker or a tail without one.
 */
export async function confirmedTailKey(bytes: Buffer, aesKeys: readonly Buffer[] = []): Promise<number | null> {
  if (!isV4(bytes)) return null;
  const parts = openV4(bytes, aesKeys);
  const ext = parts && parts.tail.length > 0 ? await sniffImage(parts.head) : null;
  return parts && ext ? tailKeyFromEndMarker(parts, ext) : null;
}

/**
 * The exact .dat a picture was decoded from, from the picture and its recipe alone (no key).
 * Throws when the recipe does not fit the picture: a damaged recipe must never pass for a file.
 */
export function rebuildDat(picture: Buffer, recipe: DatRecipe): Buffer {
  if (recipe.format === 'wechat3') return xorWith(picture, recipe.xorKey);
  const header = Buffer.from(recipe.header, 'hex');
  const encryptedHead = Buffer.from(recipe.encryptedHead, 'base64');
  if (header.length !== V4_HEADER || !isV4(header)) throw new Error('not a WeChat 4.x header');
  const aesLen = header.readUInt32LE(6);
  const xorLen = header.readUInt32LE(10);
  if (encryptedHead.length !== paddedLength(aesLen) || picture.length < aesLen + xorLen) throw new Error('the recipe does not fit the picture');
  return Buffer.concat([header, encryptedHead, picture.subarray(aesLen, picture.length - xorLen), xorWith(picture.subarray(picture.length - xorLen), recipe.xorKey)]);
}

/** The first bytes of the decoded picture, for sniffing its type from a .dat's head alone. */
export function decodeDatHead(head: Buffer, aesKeys: readonly Buffer[] = []): Buffer | null {
  const info = identifyDat(head);
  if (!info) return null;
  if (info.format === 'wechat3') return xorWith(head, info.xorKey!);
  if (head.length < V4_HEADER + 16) return null;
  const aesStored = paddedLength(head.readUInt32LE(6));
  const available = Math.min(aesStored, head.length - V4_HEADER) & ~15;
  for (const key of info.format === 'wechat4-v1' ? [V1_KEY] : aesKeys) {
    if (key.length !== 16) continue;
    const decipher = createDecipheriv('aes-128-ecb', key, null).setAutoPadding(false);
    const out = Buffer.concat([decipher.update(head.subarray(V4_HEADER, V4_HEADER + available)), decipher.final()]);
    if (findXorKey(out) === 0) return out;
  }
  return null;
}

/** Builds a 4.x .dat from an image (test fixtures and the demo; WeChat itself is the real writer). */
export function encodeDatV4(image: Buffer, version: 1 | 2, options: { key?: Buffer; aesLen?: number; xorLen?: number; xorKey?: number } = {}): Buffer {
  const key = options.key ?? V1_KEY;
  const aesLen = Math.min(options.aesLen ?? 1024, image.length);
  const xorLen = Math.min(options.xorLen ?? 0, image.length - aesLen);
  const xorKey = options.xorKey ?? 0x37;
  const cipher = createCipheriv('aes-128-ecb', key, null);
  const aes = Buffer.concat([cipher.update(image.subarray(0, aesLen)), cipher.final()]);
  const header = Buffer.alloc(V4_HEADER);
  V4_MAGIC.copy(header);
  header[3] = version === 1 ? 0x31 : 0x32;
  header.writeUInt32LE(aesLen, 6);
  header.writeUInt32LE(xorLen, 10);
  header[14] = 1;
  return Buffer.concat([header, aes, image.subarray(aesLen, image.length - xorLen), xorWith(image.subarray(image.length - xorLen), xorKey)]);
}

/** Builds a 3.x .dat: the image XORed with one byte. */
export const encodeDat3 = (image: Buffer, key: number): Buffer => xorWith(image, key);
