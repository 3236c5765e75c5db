import { closeSync, read as readCallback } from 'node:fs';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import unzipper from 'unzipper';
import { createHash64, hashBytes } from '../media/hash.js';
import { openArchiveFile } from './archive-file.js';
import { MANIFEST_ENTRY, MANIFEST_LIMIT, ManifestError, parseManifest, type Manifest } from './manifest.js';
import { readFully } from './sync-io.js';

export interface ZipEntry {
  name: string;
  /** Uncompressed size, as the central directory says. */
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
/** Past this an entry is hashed in chunks, never held whole: memory stays bounded whatever a zip claims. */
const SPARE_LIMIT = 32 * 1024 * 1024;
/** Bytes hashed at a time past SPARE_LIMIT, and of a zip's own bytes. */
const HASH_CHUNK = 1024 * 1024;
/** The largest deflated entry inflated (picvault stores images; only the manifest is deflated). */
const INFLATE_LIMIT = 64 * 1024 * 1024;

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
   * Read with synchronous calls: for a thread of its own (archive's read-back in a reader
   * thread), where two thread-pool round trips an entry left the thread waiting on each.
   */
  sync?: boolean;
  /**
   * Keep the parsed central directory for the next open of the same file (same size, time and
   * inode): clean reads a few pictures back from the same zips chunk after chunk, and parsing a
   * directory of 2 000 entries cost about 25 ms each time.
   */
  cacheDirectory?: boolean;
}

/** Bytes a source stream reads at a time. */
const SOURCE_CHUNK = 64 * 1024;

const readAsync = promisify(readCallback);

/** Reads `into.length` bytes at `position` (fewer at the end of the file); the bytes read. */
type ReadAt = (into: Buffer, position: number) => Promise<number>;

function readerOf(fd: number, sync: boolean): ReadAt {
  if (sync) return async (into, position) => readFully(fd, into, position);
  return async (into, position) => {
    let got = 0;
    for (let n; got < into.length && (n = (await readAsync(fd, into, got, into.length - got, position + got)).bytesRead) > 0; ) got += n;
    return got;
  };
}

/** The opened file as unzipper's source (Open.custom): every read of the directory goes through our descriptor. */
function sourceOf(readAt: ReadAt, size: number): { size(): Promise<number>; stream(offset: number, length?: number): Readable } {
  return {
    size: async () => size,
    stream: (offset, length) => {
      const end = Math.min(size, length === undefined ? Infinity : offset + length);
      let at = offset;
      return new Readable({
        read() {
          const want = Math.min(SOURCE_CHUNK, end - at);
          if (want <= 0) return void this.push(null);
          const chunk = Buffer.allocUnsafe(want);
          readAt(chunk, at).then(
            (got) => {
              at += got;
              this.push(got > 0 ? chunk.subarray(0, got) : null);
              if (got > 0 && got < want) this.push(null);
            },
            (err: Error) => this.destroy(err),
          );
        },
      });
    },
  };
}

/** Parsed central directories kept by cacheDirectory, most recent last, at most this many entries in all. */
const directories = new Map<string, { stamp: string; entries: Map<string, ZipEntry> }>();
const DIRECTORY_CACHE_ENTRIES = 100_000;
let cachedEntries = 0;

function remember(file: string, stamp: string, entries: Map<string, ZipEntry>): void {
  const old = directories.get(file);
  if (old) cachedEntries -= old.entries.size;
  directories.delete(file);
  directories.set(file, { stamp, entries });
  cachedEntries += entries.size;
  for (const [key, d] of directories) {
    if (cachedEntries <= DIRECTORY_CACHE_ENTRIES || key === file) break;
    directories.delete(key);
    cachedEntries -= d.entries.size;
  }
}

/**
 * A zip opened by its central directory, parsed by unzipper (structure, ZIP64, names, sizes,
 * offsets). Entries are then read at their offsets over the one descriptor the zip was opened
 * with (see archive-file.ts): unzipper's per-entry streams cost milliseconds each in stream
 * plumbing, and a read-back or a restore touches every entry. Every read is bounded: an entry's
 * data must lie inside the file, a stored entry's two sizes must agree, a deflated one is
 * inflated only up to what it may hold, and large entries are hashed in chunks.
 */
export class ZipReader {
  private constructor(
    private fd: number | null,
    /** The zip's size in bytes. */
    readonly bytes: number,
    readonly entries: Map<string, ZipEntry>,
    private readonly readAt: ReadAt,
  ) {}

  static async open(zipPath: string, options: ZipReaderOptions = {}): Promise<ZipReader> {
    const { fd, stats } = openArchiveFile(zipPath);
    const readAt = readerOf(fd, options.sync ?? false);
    try {
      const stamp = `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
      const cached = options.cacheDirectory ? directories.get(zipPath) : undefined;
      let entries = cached?.stamp === stamp ? cached.entries : null;
      if (!entries) {
        entries = await parseDirectory(readAt, stats.size);
        if (options.cacheDirectory) remember(zipPath, stamp, entries);
      }
      return new ZipReader(fd, stats.size, entries, readAt);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** xxh64 of the zip's own bytes (its name in the vault), read in chunks. */
  async hashWhole(): Promise<string> {
    const h = await createHash64();
    const chunk = Buffer.allocUnsafe(HASH_CHUNK);
    for (let at = 0; at < this.bytes; ) {
      const got = await this.readAt(chunk, at);
      if (got === 0) break;
      h.update(chunk.subarray(0, got));
      at += got;
    }
    return h.digest();
  }

  async readEntry(name: string, limit = INFLATE_LIMIT): Promise<Buffer> {
    const entry = this.entryOf(name);
    if (entry.method === 0) {
      if (entry.size > limit) throw new Error(`${name}: ${entry.size} bytes, more than ${limit}`);
      return this.stored(entry, Buffer.allocUnsafe(entry.size));
    }
    return this.inflated(entry, limit);
  }

  /**
   * xxh64 and length of an entry's content, as it comes out of the zip. Stored entries are read
   * into a buffer the thread keeps from zip to zip (see takeSpare), or in chunks past SPARE_LIMIT.
   * `withBytes` is handed the content too, while it is held whole (not past SPARE_LIMIT): what a
   * check does with the bytes it reads anyway (rebuilding a .dat, media/picture-identity.ts).
   */
  async hashEntry(name: string, withBytes?: (bytes: Buffer) => Promise<void>): Promise<{ hash: string; size: number }> {
    const entry = this.entryOf(name);
    if (entry.method !== 0) {
      const bytes = await this.inflated(entry, INFLATE_LIMIT);
      await withBytes?.(bytes);
      return { hash: await hashBytes(bytes), size: bytes.length };
    }
    if (entry.size > SPARE_LIMIT) return this.hashInChunks(entry);
    const buffer = takeSpare(entry.size);
    try {
      const bytes = await this.stored(entry, buffer.subarray(0, entry.size));
      await withBytes?.(bytes);
      return { hash: await hashBytes(bytes), size: bytes.length };
    } finally {
      giveSpare(buffer);
    }
  }

  /** The manifest, checked against its schema; a manifest inflating past MANIFEST_LIMIT is refused unread. */
  async manifest(): Promise<Manifest> {
    if (!this.entries.has(MANIFEST_ENTRY)) throw new ManifestError('no manifest');
    const bytes = await this.readEntry(MANIFEST_ENTRY, MANIFEST_LIMIT).catch((err: Error) => {
      throw new ManifestError(err.message);
    });
    return parseManifest(bytes);
  }

  async close(): Promise<void> {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private entryOf(name: string): ZipEntry {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`no entry ${name}`);
    return entry;
  }

  /** Where an entry's data starts, checked to lie, with its compressed bytes, inside the file. */
  private async dataStart(entry: ZipEntry): Promise<number> {
    const header = Buffer.alloc(LOCAL_HEADER);
    await this.readAt(header, entry.headerOffset);
    const start = localDataStart(header, entry.headerOffset);
    if (start === null) throw new Error(`${entry.name}: no local header at ${entry.headerOffset}`);
    if (start + entry.compressedSize > this.bytes) throw new Error(`${entry.name}: truncated (its data runs past the end of the zip)`);
    return start;
  }

  private async stored(entry: ZipEntry, into: Buffer): Promise<Buffer> {
    if (entry.compressedSize !== entry.size) throw new Error(`${entry.name}: stored, yet its sizes differ`);
    const got = await this.readAt(into, await this.dataStart(entry));
    if (got !== into.length) throw new Error(`${entry.name}: truncated (${got} of ${into.length} bytes)`);
    return into;
  }

  private async inflated(entry: ZipEntry, limit: number): Promise<Buffer> {
    if (entry.method !== 8) throw new Error(`${entry.name}: compression method ${entry.method} is not supported`);
    if (entry.size > limit) throw new Error(`${entry.name}: inflates to ${entry.size} bytes, more than ${limit}`);
    const start = await this.dataStart(entry);
    const compressed = Buffer.allocUnsafe(entry.compressedSize);
    if ((await this.readAt(compressed, start)) !== compressed.length) throw new Error(`${entry.name}: truncated`);
    try {
      // The central directory's size may lie: the inflate itself stops at the limit.
      return inflateRawSync(compressed, { maxOutputLength: Math.max(1, limit) });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`${entry.name}: inflates to more than ${limit} bytes`);
      throw new Error(`${entry.name}: does not inflate (${(err as Error).message})`);
    }
  }

  private async hashInChunks(entry: ZipEntry): Promise<{ hash: string; size: number }> {
    if (entry.compressedSize !== entry.size) throw new Error(`${entry.name}: stored, yet its sizes differ`);
    const start = await this.dataStart(entry);
    const h = await createHash64();
    const chunk = Buffer.allocUnsafe(HASH_CHUNK);
    let size = 0;
    while (size < entry.size) {
      const got = await this.readAt(chunk.subarray(0, Math.min(HASH_CHUNK, entry.size - size)), start + size);
      if (got === 0) break;
      h.update(chunk.subarray(0, got));
      size += got;
    }
    return { hash: h.digest(), size };
  }
}

async function parseDirectory(readAt: ReadAt, size: number): Promise<Map<string, ZipEntry>> {
  const dir = await unzipper.Open.custom(sourceOf(readAt, size));
  const entries = new Map<string, ZipEntry>();
  for (const f of dir.files as unknown as UnzipperFile[]) {
    if (f.type !== 'File') continue;
    entries.set(f.path, { name: f.path, size: f.uncompressedSize, headerOffset: f.offsetToLocalFileHeader, compressedSize: f.compressedSize, method: f.compressionMethod });
  }
  return entries;
}
