import { closeSync, fsync, openSync } from 'node:fs';
import { Writable } from 'node:stream';
import { writeFully } from './sync-io.js';

/**
 * A new file written with synchronous writes, flushed with fsync when the stream ends. Archive's
 * main thread writes zips while both reader threads keep the cores busy: an fs.WriteStream sends
 * every chunk to the libuv thread pool and waits for its answer, and under that load each round
 * trip waited for a time slice, so zips went to disk at about 50 MB/s. A synchronous write to the
 * page cache takes a fraction of a millisecond. Every chunk passes through `onChunk` first (the
 * zip's own hash).
 */
export class SyncFileSink extends Writable {
  private fd: number | null;
  /** Callers waiting for bytes of theirs to be written (see whenWritten). */
  private readonly watchers: { bytes: Uint8Array; done: () => void }[] = [];

  constructor(file: string, private readonly onChunk: (chunk: Buffer) => void = () => undefined) {
    super({ highWaterMark: 1 << 20 });
    this.fd = openSync(file, 'wx');
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this._writev([{ chunk }], done);
  }

  override _writev(chunks: { chunk: Buffer }[], done: (err?: Error | null) => void): void {
    try {
      for (const { chunk } of chunks) {
        this.onChunk(chunk);
        writeFully(this.fd!, chunk);
        if (this.watchers.length > 0) this.settleWatchers(chunk);
      }
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  /**
   * Resolves once a chunk holding exactly these bytes (the same memory: streams pass buffers on,
   * they do not copy them) has been written, or the file is closed. Until then the caller must
   * not reuse that memory.
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
    fsync(this.fd!, (err) => done(err));
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    // Nothing more will be written: any memory still watched is free again.
    for (const w of this.watchers.splice(0)) w.done();
    done(err);
  }
}
