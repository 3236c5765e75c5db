import { readSync, writeSync } from 'node:fs';

/**
 * Plain synchronous reads and writes, for the worker threads and the zip sink, where a call's
 * round trip through the thread pool cost more than the call (see docs/performance.md). A single
 * read or write may move fewer bytes than asked; these loop until done.
 */

/** Reads from `position` until `into` is full or the file ends; the bytes read. */
export function readFully(fd: number, into: Uint8Array, position: number): number {
  let got = 0;
  for (let n; got < into.length && (n = readSync(fd, into, got, into.length - got, position + got)) > 0; ) got += n;
  return got;
}

/** Writes all of `bytes` at the file's current position. */
export function writeFully(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
}
