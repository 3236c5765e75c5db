import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { hashBytes, hashFile } from '../media/hash.js';
import { inspectBytes, inspectFile, type InspectOptions } from '../media/inspect.js';
import type { FoundFile } from '../sources/types.js';

/**
 * A reader thread: reads whole files with plain synchronous reads (no per-call async cost), and
 * from the same bytes gives each file's type, EXIF date and xxh64. Two of these keep both cores
 * busy while the main thread writes zips and the catalogue.
 */
export interface ReadTask {
  path: string;
  size: number;
  source: FoundFile['source'];
  /** Already known (plain folders are inspected at scan); then only the hash is needed. */
  known: boolean;
}

export type ReadResult =
  | { ok: true; hash: string; size: number; ext: string | null; decodedExt: string | null; exifDate: string | null }
  | { ok: false; reason: string };

/** Past this a file is hashed as a stream and inspected by its head, never held whole. */
const WHOLE_READ_LIMIT = 32 * 1024 * 1024;
let buffer = Buffer.allocUnsafe(4 << 20);

function readWhole(path: string, size: number): Buffer {
  if (buffer.length < size + 1) buffer = Buffer.allocUnsafe(Math.max(size + 1, buffer.length * 2));
  const fd = openSync(path, 'r');
  try {
    let got = 0;
    // One byte more than expected is asked for: a file that grew shows as a different size.
    for (let n; (n = readSync(fd, buffer, got, buffer.length - got, got)) > 0 && got + n <= size; ) got += n;
    return buffer.subarray(0, got === size ? size : got + 1);
  } finally {
    closeSync(fd);
  }
}

async function read(task: ReadTask, options: InspectOptions): Promise<ReadResult> {
  try {
    if (task.size > WHOLE_READ_LIMIT) {
      const { hash, size } = await hashFile(task.path);
      const ins = task.known ? { ext: null, decodedExt: null, exifDate: null } : await inspectFile(task, options);
      return { ok: true, hash, size, ...ins };
    }
    const bytes = readWhole(task.path, task.size);
    const ins = task.known ? { ext: null, decodedExt: null, exifDate: null } : await inspectBytes(bytes, task, options);
    return { ok: true, hash: await hashBytes(bytes), size: bytes.length, ...ins };
  } catch (err) {
    return { ok: false, reason: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  }
}

parentPort?.on('message', async (msg: { id: number; tasks: ReadTask[]; options: InspectOptions }) => {
  const results: ReadResult[] = [];
  for (const task of msg.tasks) results.push(await read(task, msg.options));
  parentPort!.postMessage({ id: msg.id, results });
});
