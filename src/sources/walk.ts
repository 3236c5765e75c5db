import { opendir, lstat } from 'node:fs/promises';
import path from 'node:path';
import { ALLOWED_INSIDE_MSG, isInside, isProtectedFileName, isProtectedFolderName } from './protected.js';

export interface WalkedFile {
  path: string;
  size: number;
  mtimeMs: number;
  birthtimeMs: number;
}

export interface WalkOptions {
  /** Folders never entered (the vault itself, when it sits inside a source). */
  exclude: readonly string[];
  /** Called with a path that could not be read; the walk goes on. */
  onUnreadable?: (p: string, err: unknown) => void;
}

const STAT_CONCURRENCY = 32;

/**
 * Every regular file below root, depth first, with its stat. Symbolic links are not followed
 * (a link could lead outside the source) and protected folders are not entered. Stats run
 * STAT_CONCURRENCY at a time because a cache folder holds tens of thousands of small files and
 * one stat at a time leaves the disk idle.
 */
export async function* walkFiles(root: string, options: WalkOptions): AsyncGenerator<WalkedFile> {
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    if (options.exclude.some((ex) => isInside(ex, dir))) continue;
    const names: string[] = [];
    try {
      for await (const entry of await opendir(dir)) {
        if (entry.isDirectory()) {
          if (!isProtectedFolderName(entry.name)) stack.push(path.join(dir, entry.name));
          else if (entry.name.toLowerCase() === 'msg') {
            const attach = path.join(dir, entry.name, ALLOWED_INSIDE_MSG);
            if ((await lstat(attach).catch(() => null))?.isDirectory()) stack.push(attach);
          }
        } else if (entry.isFile() && !isProtectedFileName(entry.name)) {
          names.push(entry.name);
        }
      }
    } catch (err) {
      options.onUnreadable?.(dir, err);
      continue;
    }
    names.sort();
    for (let i = 0; i < names.length; i += STAT_CONCURRENCY) {
      const batch = names.slice(i, i + STAT_CONCURRENCY).map((name) => path.join(dir, name));
      const stats = await Promise.all(batch.map((p) => lstat(p).catch((err: unknown) => err)));
      for (let j = 0; j < batch.length; j++) {
        const st = stats[j];
        if (st instanceof Error || !(st as { isFile?: unknown }).isFile) {
          options.onUnreadable?.(batch[j], st);
          continue;
        }
        const s = st as import('node:fs').Stats;
        if (!s.isFile()) continue;
        yield { path: batch[j], size: s.size, mtimeMs: s.mtimeMs, birthtimeMs: s.birthtimeMs };
      }
    }
  }
}
