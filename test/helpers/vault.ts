import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Every final-named zip in a vault. */
export async function vaultZips(vault: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.zip')) out.push(p);
    }
  };
  await walk(path.join(vault, 'archives'));
  return out.sort();
}

export const CORPUS = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../../../shared/corpus');
