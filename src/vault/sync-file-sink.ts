import { closeSync, fsync, openSync } from 'node:fs';
import { Writable } from 'node:stream';
import { writeFully } from './sync-io.js';

/**
 * A new file written with synchronous writes, flushed with fsync when the stream ends (unless the
 * caller flushes it itself: see zip-parts.ts). Zips are written while every core is busy: an
 * fs.WriteStream sends every chunk to the libuv thread pool and waits for its answer, and under
 * that load each round trip waited for a time slice, so zips went to disk at about 50 MB/s. A
 * synchronous write to the page cache takes a fraction of a millisecond. Every byte passes
 * through `onChunk` first, in file order (the zip's own hash).
 *
 * Small chunks are gathered and written together: archiver hands over each field of a zip header
 * as a chunk of its own (2, 4 or 8 bytes), some 28 an entry, and written one by one they were
 * 85 000 write calls and hash updates for the bench's 3 000 images (see docs/performance.md).
 */
/** Chunks up to this size are copied into one buffer and written with the next large one. */
const GATHER_BYTES = 64 * 1024;
/** Bytes hashed and written at a time: well inside a core's own cache (L2, 1–2 MB). */
const PIECE_BYTES = 256 * 1024;

export class SyncFileSink extends Writable {
  private fd: number | null;
  private readonly gathered = Buffer.allocUnsafe(GATHER_BYTES);
  private gatheredBytes = 0;
  /** Callers waiting for bytes of theirs to be written (see whenWritten). */
  private readonly watchers: { bytes: Uint8Array; done: () => void }[] = [];

  constructor(
    file: string,
    private readonly onChunk: (chunk: Buffer) => void = () => undefined,
    private readonly flush = true,
  ) {
    super({ highWaterMark: 1 << 20 });
    this.fd = openSync(file, 'wx');
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this._writev([{ chunk }], done);
  }

  override _writev(chunks: { chunk: Buffer }[], done: (err?: Error | null) => void): void {
    try {
      for (const { chunk } of chunks) {
        if (chunk.length > GATHER_BYTES - this.gatheredBytes) this.writeGathered();
        if (chunk.length < GATHER_BYTES) {
          chunk.copy(this.gathered, this.gatheredBytes);
          this.gatheredBytes += chunk.length;
        } else this.writeOut(chunk);
        // Written or copied: either way the caller's memory is free again.
        if (this.watchers.length > 0) this.settleWatchers(chunk);
      }
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  /**
   * A large chunk (a whole photo) goes out a piece at a time, each hashed and then written while
   * it is still in the core's cache: hashed whole and then written, a photo of 3.6 MB passed
   * through memory twice, in a thread whose time is mostly moving bytes (docs/performance.md,
   * fourteenth round).
   */
  private writeOut(bytes: Buffer): void {
    for (let at = 0; at < bytes.length; at += PIECE_BYTES) {
      const piece = bytes.subarray(at, at + PIECE_BYTES);
      this.onChunk(piece);
      writeFully(this.fd!, piece);
    }
  }

  private writeGathered(): void {
    if (this.gatheredBytes === 0) return;
    this.writeOut(this.gathered.subarray(0, this.gatheredBytes));
    this.gatheredBytes = 0;
  }

  /**
   * Resolves once a chunk holding exactly these bytes (the same memory: streams pass buffers on,
   * they do not copy them) has been written or copied, or the file is closed. Until then the
   * caller must not reuse that memory.
   */
  whenWritten(bytes: Uint8Array): Promise<void> {
    if (this.fd === null) return Promise.resolve();
    return new Promise((done) => this.watchers.push({ bytes, done }));
  }

  private settleWatchers(chunk: Buffer): void {
    for (let i = this.watchers.length - 1; i >= 0; i--) {
      const { bytes, done } = this.watchers[i];
      const covered = bytes.buffer === chunk.buffer && bytes.byteOffset >= chunk.byteOffset
        && bytes.byteOffset + bytes.byteLength <= chunk.byteOffset + chunk.byteLength;
      if (covered) {
        this.watchers.splice(i, 1);
        done();
      }
    }
  }

  override _final(done: (err?: Error | null) => void): void {
    try {
      this.writeGathered();
    } catch (err) {
      return done(err as Error);
    }
    if (this.flush) fsync(this.fd!, (err) => done(err));
    else done();
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    // Nothing more will be written: any memory still watched is free again.
    for (const w of this.watchers.splice(0)) w.done();
    done(err);
  }
}
