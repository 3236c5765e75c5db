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
export const MANIFEST_VERSION = 1;

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
  return m;
}
