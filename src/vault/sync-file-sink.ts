import { closeSync, fsync, openSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';

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
        for (let at = 0; at < chunk.length; ) at += writeSync(this.fd!, chunk, at, chunk.length - at);
      }
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _final(done: (err?: Error | null) => void): void {
    fsync(this.fd!, (err) => done(err));
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    done(err);
  }
}
