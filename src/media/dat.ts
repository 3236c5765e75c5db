import { createCipheriv, createDecipheriv } from 'node:crypto';

/**
 * WeChat's obfuscated image files (SPEC "Sources and dates").
 *
 * 3.x: the whole file XORed with one byte. The key is found from an image's magic number and
 *      confirmed on every byte of that magic (and, for JPEG, on the FF D9 end marker).
 * 4.x: a 15-byte header `07 08 56 3x 08 07`, u32 LE aes_len, u32 LE xor_len, one byte; then
 *      AES-128-ECB (PKCS7) over the first aes_len bytes (stored padded to the next 16, a full
 *      block more when aligned), the middle raw, the last xor_len bytes XORed with one byte.
 *      V1's key is fixed; V2's is the account's (--wechat-key).
 */
export type DatFormat = 'wechat3' | 'wechat4-v1' | 'wechat4-v2';

export const V1_KEY = Buffer.from('cfcd208495d565ef', 'ascii');
const V4_MAGIC = Buffer.from([0x07, 0x08, 0x56, 0x31, 0x08, 0x07]);
const V4_HEADER = 15;

/** Image magic numbers a 3.x key is searched with; every byte must agree on one key. */
const MAGICS: { ext: string; bytes: number[] }[] = [
  { ext: 'jpg', bytes: [0xff, 0xd8, 0xff] },
  { ext: 'png', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { ext: 'gif', bytes: [0x47, 0x49, 0x46, 0x38] },
  { ext: 'bmp', bytes: [0x42, 0x4d] },
  { ext: 'tif', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { ext: 'tif', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { ext: 'webp', bytes: [0x52, 0x49, 0x46, 0x46] },
];

export interface DatInfo {
  format: DatFormat;
  /** 3.x: the XOR key; known from the head alone. */
  xorKey?: number;
}

function isV4(head: Uint8Array, version: 0x31 | 0x32): boolean {
  if (head.length < V4_HEADER) return false;
  for (let i = 0; i < V4_MAGIC.length; i++) if (head[i] !== (i === 3 ? version : V4_MAGIC[i])) return false;
  return true;
}

/** The 3.x key, confirmed on every magic byte; for JPEG also on the end marker when the tail is given. */
export function findXorKey(head: Uint8Array, tail?: Uint8Array): { key: number; ext: string } | null {
  for (const m of MAGICS) {
    if (head.length < m.bytes.length) continue;
    const key = head[0] ^ m.bytes[0];
    if (!m.bytes.every((b, i) => (head[i] ^ key) === b)) continue;
    if (m.ext === 'jpg' && tail && tail.length >= 2 && ((tail[tail.length - 2] ^ key) !== 0xff || (tail[tail.length - 1] ^ key) !== 0xd9)) {
      continue;
    }
    return { key, ext: m.ext };
  }
  return null;
}

/** What kind of .dat this is, from its first bytes (and last two, for the JPEG end check). */
export function identifyDat(head: Uint8Array, tail?: Uint8Array): DatInfo | null {
  if (isV4(head, 0x31)) return { format: 'wechat4-v1' };
  if (isV4(head, 0x32)) return { format: 'wechat4-v2' };
  const found = findXorKey(head, tail);
  return found ? { format: 'wechat3', xorKey: found.key } : null;
}

const xorWith = (bytes: Uint8Array, key: number) => {
  const out = Buffer.allocUnsafe(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] ^ key;
  return out;
};

/** AES-stored length: aes_len padded by PKCS7, always at least one byte of padding. */
const paddedLength = (n: number) => n - (n % 16) + 16;

/** The XOR key of a 4.x tail, from the image's end marker (JPEG FF D9, PNG AE 42 60 82, GIF 3B). */
function tailXorKey(tail: Uint8Array): number | null {
  const n = tail.length;
  if (n >= 2 && ((tail[n - 2] ^ tail[n - 1]) === (0xff ^ 0xd9))) return tail[n - 1] ^ 0xd9;
  if (n >= 4) {
    const key = tail[n - 1] ^ 0x82;
    if ([0xae, 0x42, 0x60].every((b, i) => (tail[n - 4 + i] ^ key) === b)) return key;
  }
  if (n >= 1) return tail[n - 1] ^ 0x3b;
  return null;
}

/**
 * The image inside a .dat, or null when it cannot be decoded (a V2 file without the account's
 * key, a wrong key, a damaged file). Never throws: an undecodable .dat is still archived raw.
 */
export function decodeDat(bytes: Buffer, options: { wechatKey?: string } = {}): Buffer | null {
  const info = identifyDat(bytes.subarray(0, 16), bytes.subarray(bytes.length - 2));
  if (!info) return null;
  if (info.format === 'wechat3') return xorWith(bytes, info.xorKey!);
  const key = info.format === 'wechat4-v1' ? V1_KEY : options.wechatKey ? Buffer.from(options.wechatKey, 'ascii') : null;
  if (!key || key.length !== 16) return null;
  try {
    const aesLen = bytes.readUInt32LE(6);
    const xorLen = bytes.readUInt32LE(10);
    const body = bytes.subarray(V4_HEADER);
    const aesStored = paddedLength(aesLen);
    if (aesStored + xorLen > body.length) return null;
    const decipher = createDecipheriv('aes-128-ecb', key, null);
    const head = Buffer.concat([decipher.update(body.subarray(0, aesStored)), decipher.final()]);
    const middle = body.subarray(aesStored, body.length - xorLen);
    const tail = body.subarray(body.length - xorLen);
    const xorKey = xorLen > 0 ? tailXorKey(tail) : 0;
    if (xorKey === null) return null;
    // A wrong key passes the padding check about once in 256 tries; an image starts with its magic.
    if (!findXorKey(head.subarray(0, 4)) || findXorKey(head.subarray(0, 4))!.key !== 0) return null;
    return Buffer.concat([head, middle, xorWith(tail, xorKey)]);
  } catch {
    return null;
  }
}

/** The first bytes of the decoded image, for sniffing its type from a .dat's head alone. */
export function decodeDatHead(head: Buffer, options: { wechatKey?: string } = {}): Buffer | null {
  const info = identifyDat(head);
  if (!info) return null;
  if (info.format === 'wechat3') return xorWith(head, info.xorKey!);
  const key = info.format === 'wechat4-v1' ? V1_KEY : options.wechatKey ? Buffer.from(options.wechatKey, 'ascii') : null;
  if (!key || key.length !== 16 || head.length < V4_HEADER + 16) return null;
  try {
    const aesStored = paddedLength(head.readUInt32LE(6));
    const available = Math.min(aesStored, head.length - V4_HEADER) & ~15;
    const decipher = createDecipheriv('aes-128-ecb', key, null).setAutoPadding(false);
    return Buffer.concat([decipher.update(head.subarray(V4_HEADER, V4_HEADER + available)), decipher.final()]);
  } catch {
    return null;
  }
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
