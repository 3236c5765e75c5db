import { closeSync, constants, fstatSync, openSync, type Stats } from 'node:fs';
import { readFully } from './sync-io.js';

/**
 * The one way a zip in a vault is opened, by every reader (verify, restore and its writer
 * threads, reindex, recovery, clean's read-back, repair): only a regular file is an archive. A
 * catalogued name that is a symlink to /dev/zero would be read forever, and a FIFO would block the
 * open itself until some writer came. So the open never blocks (O_NONBLOCK: a FIFO opens at once;
 * it changes nothing for a regular file), and the opened file is checked with fstat, not the name
 * before it: what is read is what was checked.
 */
export interface ArchiveFd {
  fd: number;
  stats: Stats;
}

export class NotAnArchiveFile extends Error {
  readonly code = 'ENOTREG';
  constructor(readonly file: string, readonly what: string) {
    super(`not a regular file (${what})`);
  }
}

/** O_NONBLOCK where the platform has it (not Windows, which has no FIFOs of this kind). */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function kind(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

/** Opens a zip for reading; throws NotAnArchiveFile for anything but a regular file (and the usual errno errors). */
export function openArchiveFile(file: string): ArchiveFd {
  const fd = openSync(file, OPEN_FLAGS);
  let stats: Stats;
  try {
    stats = fstatSync(fd);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  if (!stats.isFile()) {
    closeSync(fd);
    throw new NotAnArchiveFile(file, kind(stats));
  }
  return { fd, stats };
}

/**
 * A regular file's bytes when it has exactly `size` of them, else null: what repair reads a
 * candidate copy with (a catalogued place may have become a FIFO or a link to a device since).
 */
export function readRegularFile(file: string, size: number): Buffer | null {
  let opened: ArchiveFd;
  try {
    opened = openArchiveFile(file);
  } catch {
    return null;
  }
  try {
    if (opened.stats.size !== size) return null;
    const bytes = Buffer.allocUnsafe(size);
    return readFully(opened.fd, bytes, 0) === size ? bytes : null;
  } catch {
    return null;
  } finally {
    closeSync(opened.fd);
  }
}
