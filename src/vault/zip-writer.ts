import { crc32 as simdCrc32 } from '@node-rs/crc32';
import { ZipArchive } from 'archiver';
import crc32 from 'crc-32';
import { createHash64 } from '../media/hash.js';
import { SyncFileSink } from './sync-file-sink.js';

/**
 * archiver (through compress-commons) computes each stored entry's CRC-32 with the crc-32
 * package, pure JavaScript at about 0.9 GB/s on this machine. @node-rs/crc32 gives the same
 * numbers natively with the CPU's carry-less multiply, 8–15 GB/s here, where zlib's crc32 (used
 * before) gave 1–4: on camera photos, where every byte is new, zlib's CRC was a tenth of the zip
 * thread's time (docs/performance.md, fourteenth round). The package is shared, so archiver picks
 * it up. unzip -t, 7z t and Python's zipfile check every CRC in the tests: a wrong one cannot
 * pass unnoticed.
 */
const jsCrc32 = crc32.buf;
crc32.buf = (data, seed) => (data instanceof Uint8Array ? simdCrc32(data, (seed ?? 0) >>> 0) | 0 : jsCrc32(data, seed));

export interface WrittenZip {
  bytes: number;
  /** xxh64 of the zip's own bytes: its name in the vault. */
  xxh64: string;
}

/**
 * Writes one zip: entries stored (images are already compressed; recompressing wastes time and
 * gains nothing), hashed on the way to disk, flushed with fsync before the stream closes unless
 * `flush: false` (the caller then flushes it before renaming it). The caller awaits each add() so
 * only one entry's bytes are in memory at a time.
 */
export class ZipWriter {
  private readonly archive: ZipArchive;
  private readonly closed: Promise<void>;
  private readonly waiting = new Map<string, () => void>();
  private failure: Error | null = null;
  private readonly out: SyncFileSink;
  /** Resolves on the first error: nothing waits past it for bytes that will never be written. */
  private readonly failed: Promise<void>;

  private constructor(
    private readonly hasher: Awaited<ReturnType<typeof createHash64>>,
    tmpPath: string,
    forceZip64: boolean,
    flush: boolean,
  ) {
    this.archive = new ZipArchive({ store: true, forceZip64, zlib: { level: 6 } });
    const out = (this.out = new SyncFileSink(tmpPath, (chunk) => hasher.update(chunk), flush));
    let failed!: () => void;
    this.failed = new Promise((resolve) => (failed = resolve));
    const fail = (err: Error) => {
      this.failure ??= err;
      for (const resolve of this.waiting.values()) resolve();
      failed();
    };
    this.archive.on('error', fail);
    this.archive.on('warning', fail);
    out.on('error', fail);
    this.archive.on('entry', (entry: { name: string }) => {
      this.waiting.get(entry.name)?.();
      this.waiting.delete(entry.name);
    });
    this.closed = new Promise((resolve, reject) => {
      out.on('close', () => (this.failure ? reject(this.failure) : resolve()));
      out.on('error', reject);
    });
    this.closed.catch(() => undefined);
    this.archive.pipe(out);
  }

  static async create(tmpPath: string, options: { forceZip64?: boolean; flush?: boolean } = {}): Promise<ZipWriter> {
    return new ZipWriter(await createHash64(), tmpPath, options.forceZip64 ?? false, options.flush ?? true);
  }

  /** Bytes the zip has so far (entries taken, not counting the central directory). */
  get size(): number {
    return this.archive.pointer();
  }

  /**
   * Images are stored as they are; `deflate` is for text (the manifest), which shrinks tenfold.
   * Resolves once `bytes` are no longer needed: a stored entry's bytes have reached the file, so
   * the caller may reuse their memory.
   */
  async add(name: string, bytes: Buffer, date: Date, options: { deflate?: boolean } = {}): Promise<void> {
    if (this.failure) throw this.failure;
    const written = options.deflate || bytes.length === 0 ? null : this.out.whenWritten(bytes);
    await new Promise<void>((resolve) => {
      this.waiting.set(name, resolve);
      this.archive.append(bytes, { name, date, store: !options.deflate });
    });
    await Promise.race([written, this.failed]);
    if (this.failure) throw this.failure;
  }

  async finish(): Promise<WrittenZip> {
    if (this.failure) throw this.failure;
    await this.archive.finalize();
    await this.closed;
    return { bytes: this.archive.pointer(), xxh64: this.hasher.digest() };
  }

  /** Stops writing; the caller removes the partial file. */
  async abort(): Promise<void> {
    this.archive.abort();
    await this.closed.catch(() => undefined);
  }
}
