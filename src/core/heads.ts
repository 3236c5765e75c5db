import { HEAD_BUFFER_BYTES, inspectFile, type Inspection, type InspectOptions } from '../media/inspect.js';
import type { FoundFile } from '../sources/types.js';

/**
 * Where a plain folder's files are inspected at scan (their type and EXIF date, from their heads):
 * here, one after another, or in archive's reader threads while the main thread walks on (see
 * ReadPool.inspectAll). Chat layouts are dated by their folders and file times and never read at
 * scan.
 */
export type HeadFile = Pick<FoundFile, 'path' | 'size' | 'source'>;

/** A file's head inspected, or why it could not be read (an errno code, which crosses threads). */
export type HeadResult = Inspection | { unreadable: string };

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
