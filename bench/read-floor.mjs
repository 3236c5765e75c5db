// The floor under archive's unavoidable work, for docs/performance.md: every file of a tree read
// whole (synchronous reads into one kept buffer per thread) and xxh64-hashed, in N threads, and
// nothing else: no types, no dates, no zips, no catalogue.
//   node bench/read-floor.mjs .bench/cache-20000 [threads]
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { xxh64 } from '@node-rs/xxhash';

function walk(dir, out) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

if (isMainThread) {
  const started = performance.now();
  const files = walk(process.argv[2], []);
  const walked = performance.now();
  const threads = Number(process.argv[3] ?? 2);
  await Promise.all(
    Array.from({ length: threads }, (_, i) => new Promise((resolve, reject) => {
      const w = new Worker(new URL(import.meta.url), { workerData: files.filter((_, j) => j % threads === i) });
      w.on('message', resolve).on('error', reject);
    })),
  );
  const s = (ms) => (ms / 1000).toFixed(2);
  console.log(`${files.length} files: walk ${s(walked - started)} s, read and hash ${s(performance.now() - walked)} s (${threads} threads)`);
  process.exit(0);
} else {
  let buffer = Buffer.allocUnsafe(8 << 20);
  let mix = 0n;
  for (const file of workerData) {
    const fd = openSync(file, 'r');
    let got = 0;
    for (let n; (n = readSync(fd, buffer, got, buffer.length - got, null)) > 0; ) {
      got += n;
      if (got === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
    }
    closeSync(fd);
    mix ^= xxh64(buffer.subarray(0, got));
  }
  parentPort.postMessage(String(mix));
}
