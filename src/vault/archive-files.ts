import { opendir, rm } from 'node:fs/promises';
import path from 'node:path';
import { ARCHIVES_DIR, PARTIAL_SUFFIX, parseArchiveName } from './layout.js';

export interface ArchiveFile {
  /** Vault-relative, forward slashes: the catalogue's name for it. */
  name: string;
  abs: string;
  month: string;
  xxh64: string;
}

/** Every final-named zip under VAULT/archives and every partial one, in name order. */
export async function listArchiveFiles(vault: string): Promise<{ archives: ArchiveFile[]; partials: string[] }> {
  const archives: ArchiveFile[] = [];
  const partials: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    let handle;
    try {
      handle = await opendir(dir);
    } catch {
      return;
    }
    for await (const entry of handle) {
      const abs = path.join(dir, entry.name);
      const relName = `${rel}/${entry.name}`;
      if (entry.isDirectory()) await walk(abs, relName);
      else if (entry.name.endsWith(PARTIAL_SUFFIX)) partials.push(abs);
      else {
        const parsed = entry.isFile() ? parseArchiveName(entry.name) : null;
        if (parsed) archives.push({ name: relName, abs, ...parsed });
      }
    }
  };
  await walk(path.join(vault, ARCHIVES_DIR), ARCHIVES_DIR);
  archives.sort((a, b) => a.name.localeCompare(b.name));
  return { archives, partials };
}

/** A partial zip is what a killed run was writing; nothing refers to it. */
export async function removePartials(partials: string[]): Promise<void> {
  for (const p of partials) await rm(p, { force: true });
}
