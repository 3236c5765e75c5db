import { closeSync, fstatSync, openSync } from 'node:fs';
import { Readable } from 'node:stream';
import { open, type FileHandle } from 'node:fs/promises';
import unzipper from 'unzipper';
import { hashBytes } from '../media/hash.js';
import { MANIFEST_ENTRY, parseManifest, type Manifest } from './manifest.js';
import { readFully } from './sync-io.js';

export interface ZipEntry {
  name: string;
  size: number;
  /** Where the entry's local header starts, from the central directory. */
  headerOffset: number;
  compressedSize: number;
  method: number;
}

interface UnzipperFile {
  path: string;
  type: string;
  uncompressedSize: number;
  compressedSize: number;
  compressionMethod: number;
  offsetToLocalFileHeader: number;
  buffer(): Promise<Buffer>;
}

/** A local file header's fixed part: signature, versions, sizes, and the name and extra lengths. */
export const LOCAL_HEADER = 30;

/** Where an entry's data starts, from the fixed part of its local header; null when it is not one. */
export function localDataStart(header: Buffer, headerOffset: number): number | null {
  if (header.length < LOCAL_HEADER || header.readUInt32LE(0) !== 0x04034b50) return null;
  return headerOffset + LOCAL_HEADER + header.readUInt16LE(26) + header.readUInt16LE(28);
}

/**
 * hashEntry's buffer, one a thread, kept from entry to entry and from zip to zip, and grown by
 * doubling. A read-back hashes every entry: a fresh buffer each left hundreds of megabytes for the
 * garbage collector, and one a zip, grown to each larger entry, was fresh memory the kernel
 * mapped page by page, twice over: 40 % of an archive run's page faults (perf record -e
 * page-faults). Taken while in use; reads running together each get one.
 */
let spare: Buffer | null = null;
/** Past this an entry's buffer is not kept: one large image should not hold its size for the run. */
const SPARE_LIMIT = 32 * 1024 * 1024;

function takeSpare(size: number): Buffer {
  const kept = spare;
  spare = null;
  if (kept && kept.length >= size) return kept;
  return Buffer.allocUnsafe(Math.max(size, 2 * (kept?.length ?? 0), 1 << 20));
}

function giveSpare(buffer: Buffer): void {
  if (buffer.length <= SPARE_LIMIT && (!spare || spare.length < buffer.length)) spare = buffer;
}

export interface ZipReaderOptions {
  /**
   * Read stored entries with synchronous calls: for a thread of its own (archive's read-back in a
   * reader thread), where two thread-pool round trips an entry left the thread waiting on each.
   */
  sync?: boolean;
}

/** Bytes a synchronous source reads at a time. */
const SOURCE_CHUNK = 64 * 1024;

/**
 * A file as unzipper's source (Open.custom), read with synchronous calls as its streams pull:
 * unzipper's own file source goes through the thread pool for every read (the central directory,
 * a deflated manifest), and a reader thread waited on each.
 */
function syncSource(fd: number): { size(): Promise<number>; stream(offset: number, length?: number): Readable } {
  return {
    size: async () => fstatSync(fd).size,
    stream: (offset, length) => {
      const end = length === undefined ? Infinity : offset + length;
      let at = offset;
      return new Readable({
        read() {
          try {
            const want = Math.min(SOURCE_CHUNK, end - at);
            const chunk = Buffer.allocUnsafe(want);
            const got = want > 0 ? readFully(fd, chunk, at) : 0;
            at += got;
            this.push(got > 0 ? chunk.subarray(0, got) : null);
            if (got > 0 && (got < want || at >= end)) this.push(null);
          } catch (err) {
            this.destroy(err as Error);
          }
        },
      });
    },
  };
}

/** Reads `into.length` bytes at `position`; the bytes read. */
type ReadAt = (into: Buffer, position: number) => Promise<number>;

/**
 * A zip opened by its central directory, parsed by unzipper (structure, ZIP64, names, sizes,
 * offsets). Stored entries — every image picvault writes — are then read at their offsets over one
 * file handle: unzipper's per-entry streams cost milliseconds each in stream plumbing, and a
 * read-back or a restore touches every entry. Anything else goes through unzipper.
 */
export class ZipReader {
  /** One handle for the reader's life, opened on first use. A promise, so reads started together share it. */
  private handle: Promise<FileHandle> | null = null;
  private constructor(
    private readonly zipPath: string,
    readonly entries: Map<string, ZipEntry>,
    private readonly files: Map<string, UnzipperFile>,
    /** With { sync: true }: the descriptor unzipper read the directory through, kept for the entries. */
    private fd: number | null,
  ) {}

  static async open(zipPath: string, options: ZipReaderOptions = {}): Promise<ZipReader> {
    const fd = options.sync ? openSync(zipPath, 'r') : null;
    let dir;
    try {
      dir = fd === null ? await unzipper.Open.file(zipPath) : await unzipper.Open.custom(syncSource(fd));
    } catch (err) {
      if (fd !== null) closeSync(fd);
      throw err;
    }
    const entries = new Map<string, ZipEntry>();
    const files = new Map<string, UnzipperFile>();
    for (const f of dir.files as unknown as UnzipperFile[]) {
      if (f.type !== 'File') continue;
      entries.set(f.path, { name: f.path, size: f.uncompressedSize, headerOffset: f.offsetToLocalFileHeader, compressedSize: f.compressedSize, method: f.compressionMethod });
      files.set(f.path, f);
    }
    return new ZipReader(zipPath, entries, files, fd);
  }

  async readEntry(name: string): Promise<Buffer> {
    return this.read(name, (size) => Buffer.allocUnsafe(size));
  }

  /**
   * xxh64 and length of an entry's content, as it comes out of the zip. Stored entries are read
   * into a buffer the thread keeps from zip to zip (see takeSpare).
   */
  async hashEntry(name: string): Promise<{ hash: string; size: number }> {
    const buffer = takeSpare(this.entries.get(name)?.compressedSize ?? 0);
    try {
      const bytes = await this.read(name, (n) => buffer.subarray(0, n));
      return { hash: await hashBytes(bytes), size: bytes.length };
    } finally {
      giveSpare(buffer);
    }
  }

  /** An entry's bytes; stored ones read at their offset into the buffer `alloc` gives. */
  private async read(name: string, alloc: (size: number) => Buffer): Promise<Buffer> {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`no entry ${name}`);
    if (entry.method !== 0) return this.files.get(name)!.buffer();
    const readAt = await this.reader();
    const header = Buffer.alloc(LOCAL_HEADER);
    await readAt(header, entry.headerOffset);
    const dataStart = localDataStart(header, entry.headerOffset);
    if (dataStart === null) throw new Error(`${name}: no local header at ${entry.headerOffset}`);
    const data = alloc(entry.compressedSize);
    const bytesRead = await readAt(data, dataStart);
    if (bytesRead !== data.length) throw new Error(`${name}: truncated (${bytesRead} of ${data.length} bytes)`);
    return data;
  }

  private async reader(): Promise<ReadAt> {
    const fd = this.fd;
    if (fd !== null) return async (into, position) => readFully(fd, into, position);
    this.handle ??= open(this.zipPath, 'r');
    const handle = await this.handle;
    return async (into, position) => (await handle.read(into, 0, into.length, position)).bytesRead;
  }

  async manifest(): Promise<Manifest> {
    return parseManifest(await this.readEntry(MANIFEST_ENTRY));
  }

  async close(): Promise<void> {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    const handle = this.handle;
    this.handle = null;
    await (await handle?.catch(() => null))?.close();
  }
}
