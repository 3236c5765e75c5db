import type { FoundFile } from '../sources/types.js';
import { isPlausibleStamp } from './exif-date.js';

/** Which of SPEC's rules gave an image's date; the catalogue keeps it. */
export type DateRule = 'exif' | 'folder' | 'file-time';

export interface Dating {
  /** Local wall-clock time, "YYYY-MM-DD HH:MM:SS". */
  taken: string;
  /** YYYY-MM, the month the file is filed under. */
  month: string;
  dateRule: DateRule;
  /** The EXIF DateTimeOriginal when there was one, plausible or not. */
  exifDate: string | null;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A time in ms as local "YYYY-MM-DD HH:MM:SS": months are what the user's calendar says. */
export function localStamp(ms: number): string {
  const d = new Date(ms);
  return (
    `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** The earliest of creation and modification time; creation is 0 where the file system lacks it. */
export function earliestFileTime(f: Pick<FoundFile, 'mtimeMs' | 'birthtimeMs'>): number {
  return f.birthtimeMs > 0 ? Math.min(f.birthtimeMs, f.mtimeMs) : f.mtimeMs;
}

/**
 * SPEC "Sources and dates". Chat layouts: the folder's month where the layout has one, else the
 * earliest file time (a forwarded photo's EXIF says when it was taken, not when it arrived).
 * Plain folders: a plausible EXIF DateTimeOriginal, else the earliest file time.
 */
export function dateOf(file: FoundFile, exifDate: string | null, nowMs: number): Dating {
  const fileStamp = localStamp(earliestFileTime(file));
  if (file.source !== 'folder') {
    if (file.folderMonth) {
      const taken = fileStamp.startsWith(file.folderMonth) ? fileStamp : `${file.folderMonth}-01 00:00:00`;
      return { taken, month: file.folderMonth, dateRule: 'folder', exifDate };
    }
    return { taken: fileStamp, month: fileStamp.slice(0, 7), dateRule: 'file-time', exifDate };
  }
  if (exifDate && isPlausibleStamp(exifDate, nowMs)) {
    return { taken: exifDate, month: exifDate.slice(0, 7), dateRule: 'exif', exifDate };
  }
  return { taken: fileStamp, month: fileStamp.slice(0, 7), dateRule: 'file-time', exifDate };
}
