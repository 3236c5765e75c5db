import { fastDateTimeOriginal } from './exif-fast.js';

/** EXIF's "YYYY:MM:DD HH:MM:SS" as "YYYY-MM-DD HH:MM:SS", or null when it is not a real date. */
export function normaliseExifStamp(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(raw.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}`;
}

/**
 * SPEC: an EXIF date is trusted only when plausible: not before 1995 and not in the future (a
 * camera whose clock was never set says 2099 or 1970).
 */
export function isPlausibleStamp(stamp: string, nowMs: number): boolean {
  const year = Number(stamp.slice(0, 4));
  if (year < 1995) return false;
  // The stamp is wall-clock time without a zone; a day of slack covers every zone on Earth.
  const asUtc = Date.parse(stamp.replace(' ', 'T') + 'Z');
  return asUtc <= nowMs + 24 * 3600 * 1000;
}

const DATE_TIME_ORIGINAL = 0x9003;

/**
 * One object per kind of call: exifr keeps the options it was given in a map keyed by the object
 * (Options.useCached) and never lets go, so a literal per call left one parsed options object (and
 * its tag filters, set up again each time) behind per image: a scan of 20 000 camera photos grew
 * to 256 MB and spent a third of its CPU there (docs/performance.md, thirteenth round).
 */
const EXIFR_OPTIONS = { pick: ['DateTimeOriginal'], reviveValues: false, translateValues: false };
const EXIFR_RAW_OPTIONS = { translateKeys: false, translateValues: false, reviveValues: false, mergeOutput: false };

/**
 * DateTimeOriginal from an image's bytes or its file, normalised but not yet judged plausible.
 * Broken EXIF is common in the wild (see the corpus) and is never an error: it yields null.
 * `ifd0AsExif`: the tag may sit in the first directory (a CR3's CMT2 box is the EXIF directory
 * written as a TIFF of its own).
 */
export async function readExifDate(input: Uint8Array | string, options: { ifd0AsExif?: boolean } = {}): Promise<string | null> {
  // The usual place, read directly; exifr for everything else (see exif-fast.ts).
  if (typeof input !== 'string' && !options.ifd0AsExif) {
    const found = fastDateTimeOriginal(input);
    if (found !== undefined) return normaliseExifStamp(found);
  }
  try {
    // Loaded on first use, like file-type (see sniff.ts): only images with an EXIF block need it.
    const { default: exifr } = await import('exifr');
    if (options.ifd0AsExif) {
      const raw = await exifr.parse(input as Buffer, EXIFR_RAW_OPTIONS);
      return normaliseExifStamp(raw?.exif?.[DATE_TIME_ORIGINAL] ?? raw?.ifd0?.[DATE_TIME_ORIGINAL]);
    }
    const tags = await exifr.parse(input as Buffer, EXIFR_OPTIONS);
    return normaliseExifStamp(tags?.DateTimeOriginal);
  } catch {
    return null;
  }
}
