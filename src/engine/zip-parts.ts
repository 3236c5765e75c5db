import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { DatRecipe } from '../media/dat.js';
import type { ImageExt } from '../media/sniff.js';
import { PARTIAL_SUFFIX } from '../vault/layout.js';
import {
  entryName, MANIFEST_ENTRY, MANIFEST_FORMAT, MANIFEST_VERSION,
  type Manifest, type ManifestImage, type ManifestLocation,
} from '../vault/manifest.js';
import { ZipWriter } from '../vault/zip-writer.js';

/**
 * One plan's zips, written in a reader thread: the thread reads each new image, checks it still
 * hashes to what the plan says, and writes it into the zip itself. Done on the main thread, each
 * image cost a message to a reader thread and back, and its bytes passed through the main
 * thread's zip stream, one entry per turn of its event loop, shared with the catalogue, the
 * planning and every other message: about a millisecond an image (docs/performance.md).
 */
export interface ZipJob {
  /** The month's folder in the vault; the zips are written there under temporary names. */
  dir: string;
  month: string;
  images: JobImage[];
  /** Every place the plan records. */
  locations: ManifestLocation[];
  maxArchiveSize: number;
  forceZip64: boolean;
  /** WeChat 4.x V2 account key: a V2 .dat stored as its picture is decoded again with it. */
  wechatKey?: string;
}

/** A file holding an image: the picture itself, or a .dat that hides it (with the recipe found when it was hashed). */
export interface ImageSource {
  path: string;
  /** The file's size: the picture's, or the .dat's. */
  size: number;
  recipe?: DatRecipe;
}

export interface JobImage {
  hash: string;
  size: number;
  ext: ImageExt;
  decodedExt: ImageExt | null;
  /** The places holding this image: the first that still does is read. */
  sources: ImageSource[];
  /** `YYYY-MM-DD HH:MM:SS`, the entry's date. */
  date: string;
}

/** A zip written under its temporary name, not yet flushed nor renamed. */
export interface WrittenPart {
  tmp: string;
  bytes: number;
  /** xxh64 of the zip's bytes: its name in the vault. */
  xxh64: string;
  /** Its manifest, but for the places: */
  manifest: Omit<Manifest, 'locations'>;
  /**
   * The places its manifest records, as indexes into the job's locations. The main thread has
   * them already: sending them back cost as much as sending them (a copy of every place).
   */
  locations: Uint32Array;
}

export interface ZipJobResult {
  parts: WrittenPart[];
  /** Images none of whose places still held their bytes: not stored, their places left out. */
  dropped: string[];
}

/**
 * Reads the first of the sources that still holds the image `hash` (a .dat decoded); null when
 * none does. The bytes may be memory the reader reuses: they are only used until the next call.
 */
export type ImageReader = (sources: ImageSource[], hash: string, size: number) => Promise<Buffer | null>;

/** Room kept per entry and per place for the headers and manifest that come with it. */
const ENTRY_OVERHEAD = 256;
const LOCATION_OVERHEAD = 768;
const estimateManifest = (images: number, locations: number) => images * ENTRY_OVERHEAD + locations * LOCATION_OVERHEAD;
/** A 4.x .dat's recipe carries its encrypted head (about 1.4 KB as base64): counted as it is, beyond LOCATION_OVERHEAD. */
const recipeBytes = (locations: ManifestLocation[]) => locations.reduce((n, l) => n + (l.recipe ? JSON.stringify(l.recipe).length : 0), 0);

/**
 * Writes a plan's zips under temporary names; the caller flushes them (fsync), renames them in
 * month order, reads them back and catalogues them (month-writer.ts). The flush is the caller's
 * so that this thread hashes other files while the disk takes the zip: waiting here for the
 * flushes kept a reader thread from its work about 0.8 s a run on the bench. A zip is split into parts
 * at maxArchiveSize; each part's manifest records the places of the images it stores, and the last
 * also the places of images stored before. On failure no temporary file is left.
 */
export async function writeZips(job: ZipJob, read: ImageReader): Promise<ZipJobResult> {
  const parts: WrittenPart[] = [];
  const placed = new Set<string>();
  const dropped = new Set<string>();
  let part: { writer: ZipWriter; tmp: string; images: ManifestImage[] } | null = null;
  const recipes = recipeBytes(job.locations);

  const startPart = async () => {
    const tmp = path.join(job.dir, `.${job.month}_${randomBytes(6).toString('hex')}.zip${PARTIAL_SUFFIX}`);
    return { writer: await ZipWriter.create(tmp, { forceZip64: job.forceZip64, flush: false }), tmp, images: [] as ManifestImage[] };
  };
  const closePart = async (last: boolean) => {
    const p = part!;
    part = null;
    const hashes = new Set(p.images.map((i) => i.hash));
    const indexes: number[] = [];
    job.locations.forEach((l, i) => {
      if ((last ? !placed.has(l.hash) : hashes.has(l.hash)) && !dropped.has(l.hash)) indexes.push(i);
    });
    for (const h of hashes) placed.add(h);
    parts.push(await seal(job.month, p.writer, p.tmp, p.images, job.locations, indexes));
  };

  try {
    for (const img of job.images) {
      const bytes = await read(img.sources, img.hash, img.size);
      if (!bytes) {
        dropped.add(img.hash);
        continue;
      }
      part ??= await startPart();
      const projected = part.writer.size + bytes.length + ENTRY_OVERHEAD + estimateManifest(part.images.length + 1, job.locations.length) + recipes;
      if (part.images.length > 0 && projected > job.maxArchiveSize) {
        await closePart(false);
        part = await startPart();
      }
      const name = entryName(img.hash, img.ext);
      // add() resolves once the bytes are written or copied: only then may the reader reuse them.
      await part.writer.add(name, bytes, new Date(img.date.replace(' ', 'T')));
      part.images.push({ hash: img.hash, size: img.size, ext: img.ext, entry: name, ...(img.ext === 'dat' && { decodedExt: img.decodedExt }) });
    }
    const remaining = job.locations.some((l) => !placed.has(l.hash) && !dropped.has(l.hash));
    if (part || remaining) {
      part ??= await startPart();
      await closePart(true);
    }
  } catch (err) {
    const open = part as { writer: ZipWriter; tmp: string } | null;
    if (open) {
      await open.writer.abort();
      await rm(open.tmp, { force: true });
    }
    await Promise.all(parts.map((p) => rm(p.tmp, { force: true })));
    throw err;
  }
  return { parts, dropped: [...dropped] };
}

async function seal(
  month: string, writer: ZipWriter, tmp: string, images: ManifestImage[], all: ManifestLocation[], indexes: number[],
): Promise<WrittenPart> {
  const head: Omit<Manifest, 'locations'> = { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, month, createdAt: new Date().toISOString(), images };
  const manifest: Manifest = { ...head, locations: indexes.map((i) => all[i]) };
  try {
    await writer.add(MANIFEST_ENTRY, Buffer.from(JSON.stringify(manifest)), new Date(), { deflate: true });
    const sealed = await writer.finish();
    return { tmp, bytes: sealed.bytes, xxh64: sealed.xxh64, manifest: head, locations: Uint32Array.from(indexes) };
  } catch (err) {
    await writer.abort();
    await rm(tmp, { force: true });
    throw err;
  }
}
