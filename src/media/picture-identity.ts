import {
  confirmedTailKey, decodeDatProven, identifyDat, pictureTypeOf, rebuildDat, recipeProblem, tryDecodeDat, xorInPlace, type DatKeys, type DatRecipe,
} from './dat.js';
import { hashBytes } from './hash.js';
import type { ImageExt } from './sniff.js';

/**
 * Picture identity (SPEC "The vault"): a WeChat .dat whose picture is proven is stored as that
 * picture, and its place keeps the recipe that rebuilds the exact file (docs/wechat-dat.md).
 * Two proofs, one at each end:
 * - archive: decodeDatProven's recipe rebuilds the very bytes read, and those bytes are the ones
 *   hashed as the place's file hash, so xxh64(rebuildDat(picture, recipe)) is the file hash;
 * - restore, clean and verify: provenRebuild rebuilds the file from the stored picture and hashes
 *   it again. Nothing is written or deleted on a rebuild that is not proven there and then.
 */

/** The picture a .dat hides, as the vault stores it. */
export interface DatPicture {
  hash: string;
  size: number;
  ext: ImageExt;
  recipe: DatRecipe;
}

/** What reading a .dat found: its picture when proven, and what a key would settle. */
export interface DatReading {
  /** The picture, or null: the .dat is stored raw. */
  picture: DatPicture | null;
  /** A 4.x picture whose head is proven but whose tail only its account's key could prove. */
  needsAccountKey: boolean;
  /** The 4.x tail key this file's own end marker confirms: its account's (media/account-keys.ts). */
  tailKey: number | null;
}

/**
 * A .dat's picture, its hash and recipe when the decoding is proven (media/dat.ts), and the proof
 * that the recipe rebuilds the file: the rebuilt bytes hash to `fileHash`, the hash of `bytes`.
 * A 3.x file is decoded where it lies and put back (XOR both ways), so `bytes` must be memory the
 * caller lets this scribble on for the call; it holds the file again when this returns.
 */
export async function readDat(bytes: Buffer, fileHash: string, keys: DatKeys): Promise<DatReading> {
  const info = identifyDat(bytes.subarray(0, 16));
  if (info?.format === 'wechat3') {
    const key = info.xorKey!;
    let picture: DatPicture | null = null;
    xorInPlace(bytes, key);
    try {
      const ext = await pictureTypeOf(bytes);
      if (ext) picture = { hash: await hashBytes(bytes), size: bytes.length, ext, recipe: { format: 'wechat3', xorKey: key } };
    } finally {
      xorInPlace(bytes, key);
    }
    // The rebuild, the picture XORed again, is in `bytes` now: proven when it hashes to the file.
    const proven = picture !== null && (await hashBytes(bytes)) === fileHash;
    return { picture: proven ? picture : null, needsAccountKey: false, tailKey: null };
  }
  const got = await tryDecodeDat(bytes, keys);
  const tailKey = await confirmedTailKey(bytes, keys.aesKeys);
  if (got === null || typeof got === 'string') return { picture: null, needsAccountKey: got === 'needs-account-key', tailKey };
  // tryDecodeDat proved rebuildDat(picture, recipe) equal to `bytes`, which hash to fileHash.
  return { picture: { hash: await hashBytes(got.picture), size: got.picture.length, ext: got.pictureExt, recipe: got.recipe }, needsAccountKey: false, tailKey };
}

/**
 * The picture a .dat stored as its picture hides, from the file as it is now, for the caller to
 * check against the picture's hash: that check is what proves it. A 3.x file is decoded where it
 * lies (its bytes become the picture); a 4.x one is decoded proven, with the tail key its recipe
 * names (a V2 file needs its AES key). Null when it no longer decodes.
 */
export async function pictureFromDat(bytes: Buffer, recipe: DatRecipe, aesKeys: readonly Buffer[] = []): Promise<Buffer | null> {
  if (recipe.format === 'wechat3') {
    xorInPlace(bytes, recipe.xorKey);
    return bytes;
  }
  return (await decodeDatProven(bytes, { aesKeys, accountXorKey: recipe.xorKey }))?.picture ?? null;
}

/** A place's own file: the hash and size its bytes on disk had. */
export interface PlaceFile {
  hash: string;
  size: number;
}

/**
 * The exact file a place had, rebuilt from its stored picture, only when proven: the rebuilt bytes
 * have the place's size and hash to its file hash. Null when not (a damaged or hostile recipe, a
 * recipe that does not fit this picture): such a place is never written, nor its original deleted.
 */
export async function provenRebuild(picture: Buffer, recipe: DatRecipe, file: PlaceFile): Promise<Buffer | null> {
  if (recipeProblem(recipe) !== null) return null;
  let rebuilt: Buffer;
  try {
    rebuilt = rebuildDat(picture, recipe);
  } catch {
    return null;
  }
  return rebuilt.length === file.size && (await hashBytes(rebuilt)) === file.hash ? rebuilt : null;
}

/** A place's file to rebuild from its stored picture: its recipe as catalogued (null: unreadable) and what it must give. */
export interface Rebuild {
  recipe: DatRecipe | null;
  file: PlaceFile;
}

/** One name for a (picture, recipe, file): the places sharing it share one proof. */
export const rebuildKey = (pictureHash: string, r: Rebuild) => `${pictureHash}:${r.file.hash}:${r.file.size}:${JSON.stringify(r.recipe)}`;

/**
 * The rebuilds of one picture's places, each distinct (recipe, file) proven once: a .dat forwarded
 * into many chats is the same file with the same recipe in each. `null`: not proven.
 */
export class RebuildCache {
  private readonly done = new Map<string, Promise<Buffer | null>>();

  constructor(private readonly picture: Buffer) {}

  get(r: Rebuild): Promise<Buffer | null> {
    const key = rebuildKey('', r);
    let got = this.done.get(key);
    if (!got) this.done.set(key, (got = r.recipe ? provenRebuild(this.picture, r.recipe, r.file) : Promise.resolve(null)));
    return got;
  }
}

/** Which of a picture's rebuilds are not proven from these bytes (their keys, see rebuildKey). */
export async function unprovenRebuilds(pictureHash: string, picture: Buffer, rebuilds: readonly Rebuild[]): Promise<string[]> {
  const cache = new RebuildCache(picture);
  const failed: string[] = [];
  for (const r of rebuilds) if (!(await cache.get(r))) failed.push(rebuildKey(pictureHash, r));
  return failed;
}
