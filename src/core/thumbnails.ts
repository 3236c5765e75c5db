import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { decodeDatProven } from '../media/dat.js';
import { hashBytes } from '../media/hash.js';
import { ZipReaders } from '../vault/zip-readers.js';
import { absArchivePath } from '../vault/layout.js';
import type { StoredPicture } from '../catalog/browse.js';

/**
 * Pictures as a browser shows them: a small WebP for the grid, a larger one for the picture's
 * page, made from the stored entry (a WeChat .dat decoded, EXIF rotation applied) and cached on
 * disk outside the vault (the vault may be read-only), keyed by the picture's hash: a picture's
 * bytes never change, so neither does its thumbnail.
 */

export type ThumbSize = 'grid' | 'large';

/** What decoding the picture told, kept beside its thumbnails. */
export interface PictureFacts {
  width: number | null;
  height: number | null;
  /** More than one frame (an animated GIF or WebP). */
  animated: boolean;
  /** Why there is no thumbnail: the archive or entry could not be read, or sharp cannot decode it. */
  broken: 'unreadable' | 'undecodable' | null;
}

export interface Thumb {
  facts: PictureFacts;
  /** The WebP, or null for a broken picture (the page draws a labelled tile). */
  webp: Buffer | null;
}

const WIDTH: Record<ThumbSize, number> = { grid: 250, large: 1280 };
/** A tall picture (a long screenshot) is shown large at most this many times as high as wide. */
const TALLEST = 2;
/** Sharp decodes at most this many pictures at once: two cores, and a photo decoded is tens of MB. */
const AT_ONCE = 2;
/** The version of what is cached: raise it when thumbnails are made differently. */
const CACHE_VERSION = 'v1';

export class Thumbnails {
  private readonly readers = new ZipReaders(8);
  private readonly inFlight = new Map<string, Promise<Thumb>>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly vaultDir: string,
    private readonly cacheDir: string,
  ) {}

  private file(hash: string, name: string): string {
    return path.join(this.cacheDir, 'thumbs', CACHE_VERSION, hash.slice(0, 2), `${hash}.${name}`);
  }

  /** The picture's thumbnail of this size, from the cache or made now (once, however often asked). */
  get(picture: StoredPicture, size: ThumbSize): Promise<Thumb> {
    const key = `${picture.hash}.${size}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.cachedOrMade(picture, size).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /** Width, height and frames: from the cache, or by making the grid thumbnail. */
  async facts(picture: StoredPicture): Promise<PictureFacts> {
    return (await this.get(picture, 'grid')).facts;
  }

  private async cachedOrMade(picture: StoredPicture, size: ThumbSize): Promise<Thumb> {
    const facts = await readFile(this.file(picture.hash, 'json'), 'utf8').then((t) => JSON.parse(t) as PictureFacts, () => null);
    if (facts?.broken) return { facts, webp: null };
    const webp = facts && (await readFile(this.file(picture.hash, `${size}.webp`)).catch(() => null));
    if (facts && webp) return { facts, webp };
    await this.slot();
    try {
      return await this.make(picture, size);
    } finally {
      this.release();
    }
  }

  private async make(picture: StoredPicture, size: ThumbSize): Promise<Thumb> {
    const bytes = await this.pictureBytes(picture);
    let thumb: Thumb;
    if (!bytes) thumb = { facts: { width: null, height: null, animated: false, broken: 'unreadable' }, webp: null };
    else thumb = await render(bytes, size).catch(() => ({ facts: { width: null, height: null, animated: false, broken: 'undecodable' as const }, webp: null }));
    if (thumb.facts.broken !== 'unreadable') {
      // A damaged archive may be repaired; only what sharp cannot decode is remembered as broken.
      await this.keep(picture.hash, 'json', Buffer.from(JSON.stringify(thumb.facts)));
      if (thumb.webp) await this.keep(picture.hash, `${size}.webp`, thumb.webp);
    }
    return thumb;
  }

  /**
   * The picture's bytes (a .dat decoded when its decoding is proven, as clean's preview shows it),
   * or null when its archive cannot give them.
   */
  async pictureBytes(picture: StoredPicture): Promise<Buffer | null> {
    const stored = await this.storedBytes(picture);
    if (!stored || picture.ext !== 'dat') return stored;
    return (await decodeDatProven(stored))?.picture ?? stored;
  }

  /** The entry exactly as stored, checked against its hash; null when its archive is missing or damaged. */
  async storedBytes(picture: StoredPicture): Promise<Buffer | null> {
    try {
      const bytes = await this.readers.use(absArchivePath(this.vaultDir, picture.archive), (r) => r.readEntry(picture.entry));
      return bytes.length === picture.size && (await hashBytes(bytes)) === picture.hash ? bytes : null;
    } catch {
      return null;
    }
  }

  /** Written under a temporary name and renamed: a thumbnail on disk is whole or absent. */
  private async keep(hash: string, name: string, bytes: Buffer): Promise<void> {
    const file = this.file(hash, name);
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(tmp, bytes);
      await rename(tmp, file);
    } catch {
      // No room or no permission for the cache: the thumbnail is served all the same, made again next time.
      await rm(tmp, { force: true });
    }
  }

  private async slot(): Promise<void> {
    if (this.running < AT_ONCE) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  /**
   * Opens a zip and makes a tiny picture once, so the first thumbnails a user waits for do not
   * also pay for loading libvips and compiling the zip reader's code (a few hundred milliseconds
   * on a busy machine).
   */
  async warm(archive: string | null): Promise<void> {
    const tiny = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } }).jpeg().toBuffer();
    await render(tiny, 'grid').catch(() => undefined);
    if (archive) await this.readers.use(absArchivePath(this.vaultDir, archive), async () => undefined).catch(() => undefined);
  }

  /** Waits for the thumbnails being made (a month's page starts some ahead), then closes the zips. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.inFlight.values()]);
    await this.readers.close();
  }
}

/** The marker drawn on an animated picture's thumbnail, so the grid shows it without another request. */
const animatedBadge = (width: number, height: number) =>
  Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<rect x="6" y="${height - 30}" width="46" height="24" rx="5" fill="#000" fill-opacity="0.65"/>` +
      `<text x="29" y="${height - 13}" font-family="sans-serif" font-size="14" font-weight="bold" fill="#fff" text-anchor="middle">GIF</text></svg>`,
  );

async function render(bytes: Buffer, size: ThumbSize): Promise<Thumb> {
  const input = sharp(bytes, { failOn: 'none', limitInputPixels: 1 << 28 });
  const meta = await input.metadata();
  // EXIF orientations 5-8 turn the picture a quarter: its width and height as seen are swapped.
  const turned = (meta.orientation ?? 1) >= 5;
  const width = (turned ? meta.height : meta.width) ?? null;
  const height = (turned ? meta.width : meta.height) ?? null;
  const animated = (meta.pages ?? 1) > 1;
  const target = WIDTH[size];
  // The grid's tile is a square: filled whatever the picture's shape (a sticker of 40 px too), so
  // the GIF marker has one size everywhere. The large one keeps the picture's shape.
  const box = size === 'grid' ? { width: target, height: target, fit: 'cover' as const } : { width: target, height: target * TALLEST, fit: 'inside' as const, withoutEnlargement: true };
  const { data, info } = await input
    .rotate()
    .resize(box)
    // The grid's WebP at the encoder's quickest effort: a screen of them is made while the user
    // waits, and at 250 px the bytes it would save are a few KB.
    .webp(size === 'grid' ? { quality: 70, effort: 0 } : { quality: 80, effort: 2 })
    .toBuffer({ resolveWithObject: true });
  const webp = animated
    ? await sharp(data).composite([{ input: animatedBadge(info.width, info.height) }]).webp({ quality: 70, effort: 0 }).toBuffer()
    : data;
  return { facts: { width, height, animated, broken: null }, webp };
}
