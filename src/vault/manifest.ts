import { recipeProblem, type DatRecipe } from '../media/dat.js';
import type { DateRule } from '../media/dating.js';
import type { ImageExt } from '../media/sniff.js';
import type { ImageKind, SourceKind } from '../sources/types.js';

/**
 * The manifest every zip carries as its last entry: enough to rebuild the catalogue from the
 * archives alone (SPEC invariant 3). It lists the images stored in this zip and every place
 * (location) recorded by the run that wrote it, including places of images stored in earlier
 * zips: a zip may hold no image at all and only record where known images were seen again.
 */
export const MANIFEST_ENTRY = 'picvault-manifest.json';
export const MANIFEST_FORMAT = 'picvault-manifest';
/**
 * 2: places may carry a file hash and a recipe (SPEC "Picture identity"). A program that knows
 * only 1 must refuse such a manifest rather than read a .dat's place as its picture.
 */
export const MANIFEST_VERSION = 2;

export interface ManifestImage {
  hash: string;
  size: number;
  ext: ImageExt;
  entry: string;
  /** For a WeChat .dat: the type of the image inside, when it could be decoded. */
  decodedExt?: ImageExt | null;
}

export interface ManifestLocation {
  hash: string;
  size: number;
  device: string;
  source: SourceKind;
  kind: ImageKind;
  account?: string;
  chat?: string;
  root: string;
  path: string;
  mtimeMs: number;
  birthtimeMs: number;
  taken: string;
  month: string;
  dateRule: DateRule;
  exifDate: string | null;
  /**
   * For a WeChat .dat stored as its picture (`hash`): the xxh64 of the file itself, and the recipe
   * that rebuilds it from the picture. Absent for every other place: its file is its picture.
   */
  fileHash?: string;
  recipe?: DatRecipe;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: number;
  month: string;
  createdAt: string;
  images: ManifestImage[];
  locations: ManifestLocation[];
}

export const entryName = (hash: string, ext: string) => `${hash}.${ext}`;

/** Parses and checks a manifest; a zip whose manifest does not parse is damaged. */
export function parseManifest(bytes: Buffer): Manifest {
  const m = JSON.parse(bytes.toString('utf8')) as Manifest;
  if (m.format !== MANIFEST_FORMAT || !Array.isArray(m.images) || !Array.isArray(m.locations)) {
    throw new Error('not a picvault manifest');
  }
  if (m.version > MANIFEST_VERSION) throw new Error(`manifest version ${m.version} is newer than this program`);
  for (const l of m.locations) {
    const problem = identityProblem(l);
    if (problem) throw new Error(`a place's ${problem}`);
  }
  return m;
}

const HASH = /^[0-9a-f]{16}$/;

/** Why a place's file hash and recipe cannot be used (they come together, or not at all), or null. */
export function identityProblem(l: { fileHash?: unknown; recipe?: unknown }): string | null {
  if (l.fileHash === undefined && l.recipe === undefined) return null;
  if (typeof l.fileHash !== 'string' || !HASH.test(l.fileHash)) return 'fileHash is not 16 lowercase hex digits';
  const problem = recipeProblem(l.recipe);
  return problem && `recipe: ${problem}`;
}
