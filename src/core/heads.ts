import { HEAD_BUFFER_BYTES, inspectFile, type Inspection, type InspectOptions } from '../media/inspect.js';
import type { DatPicture } from '../media/picture-identity.js';
import type { FoundFile } from '../sources/types.js';

/**
 * Where a plain folder's files are inspected at scan (their type and EXIF date, from their heads):
 * here, one after another, or in archive's reader threads while the main thread walks on (see
 * ReadPool.inspectAll). Chat layouts are dated by their folders and file times and never read at
 * scan.
 */
export type HeadFile = Pick<FoundFile, 'path' | 'size' | 'source'>;

/**
 * What archive learned of a plain-folder file it read whole at scan (see ReadPool.inspectWhole):
 * the hash from the same bytes as its type and date, and a .dat's picture, so the file is not
 * read again to be hashed.
 */
export interface HashedAtScan {
  hash: string;
  size: number;
  picture?: DatPicture;
}

/** A file's head (or all of it) inspected, or why it could not be read (an errno code, which crosses threads). */
export type HeadResult = HeadInspection | { unreadable: string };
export type HeadInspection = Inspection & { hashedAtScan?: HashedAtScan };

export type HeadInspector = (files: HeadFile[]) => Promise<HeadResult[]>;

export const reasonOf = (err: unknown): string => {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.message : String(err);
};

/**
 * Inspects heads in this thread, one file after another into one kept buffer with synchronous
 * reads (see readHead): a fresh buffer and three thread-pool round trips a file cost more than the
 * reads themselves.
 */
export function headsHere(options: InspectOptions): HeadInspector {
  const head = Buffer.allocUnsafe(HEAD_BUFFER_BYTES);
  return async (files) => {
    const results: HeadResult[] = [];
    for (const f of files) results.push(await inspectFile(f, options, head).catch((err: unknown) => ({ unreadable: reasonOf(err) })));
    return results;
  };
}
