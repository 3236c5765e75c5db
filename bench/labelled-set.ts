import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { sampleImage } from '../src/core/demo-cache.js';
import { SimilarIndex } from '../src/core/dedupe/similar-index.js';
import type { PerceptualHash } from '../src/media/perceptual.js';

/**
 * A labelled set of pictures for tuning `dedupe --similar`, made with sharp from the photos of
 * ../shared/corpus (read from there, never copied into the repository) in a folder the caller
 * gives and removes.
 *
 * Each base photo gives a family of pictures a person would call the same picture: the original,
 * resized, recompressed hard, a chat thumbnail, lightly cropped, stored rotated with an EXIF
 * orientation that turns it back, recompressed the way WeChat does (1080 px long side, quality
 * 75), and as WebP. Against them stand near misses, two burst-like frames of the same scene (the
 * framing shifted a few percent and part of the picture moved, as a subject moves between two
 * shots), and unrelated pictures: the other photos, and chat stickers that share their layout.
 * Every pair within a family is a positive; every other pair is a negative.
 */
export const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));

/** Photos that decode with sharp and are not blank, largest first; `small` takes the first four. */
const BASES = [
  'exif-samples/jpg/hdr/iphone_hdr_YES.jpg',
  'exif-samples/jpg/mobile/jolla.jpg',
  'exif-samples/jpg/tests/30-type_error.jpg',
  'file-type/fixture/fixture-yuv420-8bit.avif',
  'exif-samples/jpg/tests/45-gps_ifd.jpg',
  'wechat-dat2picture/sample/color.jpg',
  'pillow/Tests/images/exif_typeerror.jpg',
  'pillow/Tests/images/sugarshack_bad_mpo_header.jpg',
  'pillow/Tests/images/exif.png',
  'exif-samples/jpg/Canon_PowerShot_S40.jpg',
  'exif-samples/jpg/xmp/no_exif.jpg',
  'pillow/Tests/images/iss634.gif',
  'exif-samples/jpg/tests/32-lens_data.jpeg',
  'file-type/fixture/fixture.jpg',
  'pillow/Tests/images/hopper.jpg',
];

export interface LabelledPicture {
  file: string;
  /** The base photo's family (`sticker-N` for the unrelated stickers). */
  family: string;
  variant: string;
  /** A near miss: of the family's scene, but not the same picture. */
  nearMiss: boolean;
}

/** The same picture: one family and neither a near miss. */
export const samePicture = (a: LabelledPicture, b: LabelledPicture) => a.family === b.family && !a.nearMiss && !b.nearMiss;

type Variant = { name: string; nearMiss?: boolean; make: (base: Buffer, w: number, h: number) => Promise<Buffer>; ext: string };

const longSide = (w: number, h: number, side: number) => (w >= h ? { width: Math.min(side, w) } : { height: Math.min(side, h) });

/** A frame of the same scene: the framing moved by (dx, dy) of the picture, and a block of it moved further. */
async function burstFrame(base: Buffer, w: number, h: number, dx: number, dy: number, move: number): Promise<Buffer> {
  const cw = Math.round(w * 0.9);
  const ch = Math.round(h * 0.9);
  const frame = await sharp(base).extract({ left: Math.round(w * dx), top: Math.round(h * dy), width: cw, height: ch }).toBuffer();
  const pw = Math.round(cw * 0.3);
  const ph = Math.round(ch * 0.3);
  const subject = await sharp(frame).extract({ left: Math.round(cw * 0.35), top: Math.round(ch * 0.35), width: pw, height: ph }).toBuffer();
  return sharp(frame).composite([{ input: subject, left: Math.round(cw * (0.35 + move)), top: Math.round(ch * 0.35) }]).jpeg({ quality: 90 }).toBuffer();
}

const VARIANTS: Variant[] = [
  { name: 'original', ext: 'jpg', make: (b) => sharp(b).jpeg({ quality: 92 }).toBuffer() },
  { name: 'resized', ext: 'jpg', make: (b, w, h) => sharp(b).resize(Math.max(1, Math.round(w / 2)), Math.max(1, Math.round(h / 2))).jpeg({ quality: 90 }).toBuffer() },
  { name: 'recompressed', ext: 'jpg', make: (b) => sharp(b).jpeg({ quality: 35 }).toBuffer() },
  { name: 'thumbnail', ext: 'jpg', make: (b, w, h) => sharp(b).resize(longSide(w, h, 160)).jpeg({ quality: 75 }).toBuffer() },
  {
    name: 'cropped', ext: 'jpg',
    make: (b, w, h) => sharp(b).extract({ left: Math.round(w * 0.03), top: Math.round(h * 0.03), width: Math.round(w * 0.94), height: Math.round(h * 0.94) }).jpeg({ quality: 90 }).toBuffer(),
  },
  // Stored turned a quarter anticlockwise, with EXIF orientation 6 ("turn clockwise to show").
  { name: 'exif-rotated', ext: 'jpg', make: (b) => sharp(b).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 90 }).toBuffer() },
  { name: 'wechat', ext: 'jpg', make: (b, w, h) => sharp(b).resize(longSide(w, h, 1080)).jpeg({ quality: 75 }).toBuffer() },
  { name: 'webp', ext: 'webp', make: (b, w, h) => sharp(b).resize(longSide(w, h, 800)).webp({ quality: 80 }).toBuffer() },
  { name: 'burst-1', ext: 'jpg', nearMiss: true, make: (b, w, h) => burstFrame(b, w, h, 0.02, 0.01, 0.2) },
  { name: 'burst-2', ext: 'jpg', nearMiss: true, make: (b, w, h) => burstFrame(b, w, h, 0.08, 0.06, -0.25) },
];

export async function buildLabelledSet(dir: string, options: { small?: boolean } = {}): Promise<LabelledPicture[]> {
  await mkdir(dir, { recursive: true });
  const out: LabelledPicture[] = [];
  const bases = options.small ? BASES.slice(0, 4) : BASES;
  for (const [i, rel] of bases.entries()) {
    // The photo as shown (EXIF orientation applied), at most 1600 px: the variants are made from it.
    const { data: base, info } = await sharp(path.join(CORPUS, rel), { autoOrient: true })
      .resize({ width: 1600, height: 1600, fit: 'inside', withoutEnlargement: true })
      .png()
      .toBuffer({ resolveWithObject: true });
    const family = `photo-${i}`;
    for (const v of VARIANTS) {
      const file = path.join(dir, `${family}-${v.name}.${v.ext}`);
      await writeFile(file, await v.make(base, info.width, info.height));
      out.push({ file, family, variant: v.name, nearMiss: v.nearMiss ?? false });
    }
  }
  const stickers = options.small ? 6 : 24;
  for (let s = 0; s < stickers; s++) {
    const file = path.join(dir, `sticker-${s}.png`);
    await writeFile(file, await sampleImage(1000 + s, 'png', 120));
    out.push({ file, family: `sticker-${s}`, variant: 'sticker', nearMiss: false });
  }
  return out;
}

export interface ThresholdRow {
  /** pHash distance (bits of 256) at most. */
  threshold: number;
  precision: number;
  recall: number;
  /** Pairs found that are not the same picture: near misses (burst frames) and unrelated pictures. */
  falseNearMiss: number;
  falseUnrelated: number;
  found: number;
}

/**
 * Precision and recall of `dedupe --similar N` on the labelled set, for each N from 0 to `max`,
 * found as dedupe finds them: the pairs the similar index yields (so a true pair the dHash index
 * misses counts as missed), flat pictures left out.
 */
export function thresholdTable(set: LabelledPicture[], hashes: (PerceptualHash | null)[], max: number, step = 2): ThresholdRow[] {
  const index = new SimilarIndex();
  const of: number[] = [];
  set.forEach((_, i) => {
    const h = hashes[i];
    if (h && !h.flat) of[index.add(h.dhash, h.phash)] = i;
  });
  const found = [...index.pairs(max)].map((p) => ({ distance: p.distance, a: set[of[p.a]], b: set[of[p.b]] }));
  let positives = 0;
  for (let i = 0; i < set.length; i++) for (let j = i + 1; j < set.length; j++) if (samePicture(set[i], set[j])) positives++;
  const rows: ThresholdRow[] = [];
  for (let threshold = 0; threshold <= max; threshold += step) {
    const within = found.filter((p) => p.distance <= threshold);
    const tp = within.filter((p) => samePicture(p.a, p.b)).length;
    const falses = within.filter((p) => !samePicture(p.a, p.b));
    const nearMiss = falses.filter((p) => p.a.family === p.b.family).length;
    rows.push({
      threshold, precision: within.length === 0 ? 1 : tp / within.length, recall: tp / positives,
      falseNearMiss: nearMiss, falseUnrelated: falses.length - nearMiss, found: within.length,
    });
  }
  return rows;
}
