import { copyFile, mkdir, readFile, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HashedFile } from '../../src/core/archive-plan.js';
import { sampleImage } from '../../src/core/demo-cache.js';
import { hashBytes } from '../../src/media/hash.js';

export { sampleImage };

/** Writes a real image (made with sharp) dated at noon on the given day, local time. */
export async function writeImage(file: string, seed: number, day: string, format: 'jpeg' | 'png' | 'gif' | 'webp' = 'jpeg'): Promise<Buffer> {
  const bytes = await sampleImage(seed, format);
  await putFile(file, bytes, day);
  return bytes;
}

export async function putFile(file: string, bytes: Buffer, day: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
  const [y, m, d] = day.split('-').map(Number);
  const when = new Date(y, m - 1, d ?? 1, 12, 0, 0);
  await utimes(file, when, when);
}

/** A JPEG in a plain folder as archive's planner gets it after hashing, dated at noon on `day`. */
export async function hashedFile(file: string, bytes: Buffer, root: string, day: string): Promise<HashedFile> {
  return {
    hash: await hashBytes(bytes), ext: 'jpg', decodedExt: null, path: file, root, size: bytes.length, mtimeMs: 0, birthtimeMs: 0,
    source: 'folder', kind: 'original', taken: `${day} 12:00:00`, month: day.slice(0, 7), dateRule: 'file-time', exifDate: null,
  } as HashedFile;
}

/** Every file under dir with its bytes and modification time: a tree to compare before and after. */
export async function snapshot(dir: string): Promise<Map<string, { bytes: Buffer; mtimeMs: number }>> {
  const out = new Map<string, { bytes: Buffer; mtimeMs: number }>();
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.set(path.relative(dir, p), { bytes: await readFile(p), mtimeMs: (await stat(p)).mtimeMs });
    }
  };
  await walk(dir);
  return out;
}

/** Every folder, file and link under dir (relative paths, sorted): to prove nothing appeared or went. */
export async function entriesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      out.push(path.relative(dir, path.join(d, e.name)));
      if (e.isDirectory()) await walk(path.join(d, e.name));
    }
  };
  await walk(dir);
  return out.sort();
}

/** A small chat-like tree: n distinct images over the given months, file i in month i % months. */
export async function buildTree(dir: string, n: number, months: string[], seedBase = 0): Promise<string[]> {
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const month = months[i % months.length];
    const file = path.join(dir, `chat${i % 3}`, `img${i}.${['jpg', 'png', 'gif', 'webp'][i % 4]}`);
    await writeImage(file, seedBase + i, `${month}-${String(1 + (i % 27)).padStart(2, '0')}`, (['jpeg', 'png', 'gif', 'webp'] as const)[i % 4]);
    files.push(file);
  }
  return files;
}

/** A picture of noise, which no encoder can shrink: some kilobytes at any format, for formats that keep a gradient in a few hundred bytes. */
export async function noisyImage(seed: number, format: 'jpeg' | 'png' | 'webp' | 'avif' | 'tiff', size = 64): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  return sharp({ create: { width: size, height: size, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 100 + (seed % 50), sigma: 40 } } })[format]().toBuffer();
}

/**
 * A tree of `n` files made of `distinct` real images (buildTree), each copied with its time: many
 * places cheaply, for runs that must last long enough to be interrupted among their deletes.
 */
export async function buildCopies(dir: string, n: number, months: string[], distinct = 6): Promise<void> {
  const originals = await buildTree(dir, distinct, months);
  for (let i = distinct; i < n; i++) {
    const from = originals[i % distinct];
    const to = path.join(path.dirname(from), `copy${i}${path.extname(from)}`);
    await copyFile(from, to);
    const { atime, mtime } = await stat(from);
    await utimes(to, atime, mtime);
  }
}
