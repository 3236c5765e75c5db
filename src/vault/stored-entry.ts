import { closeSync, openSync } from 'node:fs';
import { openArchiveFile } from './archive-file.js';
import { readFully } from './sync-io.js';
import { LOCAL_HEADER, localDataStart } from './zip-reader.js';

/** Where a stored entry's bytes are: its zip and its local header (from the central directory). */
export interface StoredEntry {
  zip: string;
  headerOffset: number;
  size: number;
}

/**
 * A buffer a thread keeps from read to read, grown by doubling: a fresh one per image was memory
 * the garbage collector and the kernel paid for again and again (docs/decisions.md).
 */
export class KeptBuffer {
  private buffer = Buffer.allocUnsafe(4 << 20);

  /** At least `size` bytes of it; what an earlier call was given is overwritten. */
  take(size: number): Buffer {
    if (this.buffer.length < size) this.buffer = Buffer.allocUnsafe(Math.max(size, this.buffer.length * 2));
    return this.buffer.subarray(0, size);
  }
}

/**
 * A stored entry's bytes, read with synchronous calls at its offset into `into`; null when the
 * zip is unreadable there. The zip is opened for each entry: no handle outlives a job.
 */
export function readStoredEntry(entry: StoredEntry, into: KeptBuffer): Buffer | null {
  let fd: number | null = null;
  try {
    // Only a regular file (archive-file.ts): a zip replaced by a FIFO or a link to a device since
    // the main thread opened it must not hang this thread.
    const file = openArchiveFile(entry.zip);
    fd = file.fd;
    const header = into.take(LOCAL_HEADER);
    const dataStart = readFully(fd, header, entry.headerOffset) === LOCAL_HEADER ? localDataStart(header, entry.headerOffset) : null;
    // Its data must lie inside the file: a size the directory made up is never allocated.
    if (dataStart === null || dataStart + entry.size > file.stats.size) return null;
    const data = into.take(entry.size);
    return readFully(fd, data, dataStart) === entry.size ? data : null;
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** A file's bytes into `into`, one byte more asked for, so a file that grew since its stat shows as a different size. */
export function readWholeFile(path: string, size: number, into: KeptBuffer): Buffer {
  const fd = openSync(path, 'r');
  try {
    const room = into.take(size + 1);
    return room.subarray(0, readFully(fd, room, 0));
  } finally {
    closeSync(fd);
  }
}
