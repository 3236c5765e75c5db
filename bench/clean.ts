import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { storeTotals } from '../src/catalog/browse.js';
import { openCatalog } from '../src/catalog/db.js';
import type { Suite, Target } from './suite.js';

/** What clean's --json says it read back (issue 17: each stored picture read from its zip and re-hashed before its places are deleted). */
interface ReadBack {
  pictures: number;
  bytes: number;
  damaged: number;
}

/** The stored pictures a vault holds: what a clean of everything archived into it must read back, once each. */
interface Stored {
  pictures: number;
  bytes: number;
}

/** Each shape's last clean: its read-back against what was stored, for the targets. */
const lastReadBack = new Map<string, { readBack: ReadBack; stored: Stored }>();

/**
 * clean of everything archived, timed. clean deletes, and the tree must stay for the next step
 * and repetition, so each run cleans a hard-linked copy of the tree (same inodes, same bytes and
 * times, its own paths), archived untimed into a vault of its own just before.
 *
 * clean reads back every stored picture it relies on (SPEC invariant 1) once a run: its --json
 * `readBack` is held against the pictures the vault stores (a clean of everything relies on all of
 * them): the same pictures and bytes, no more (a picture read twice, or a whole zip read for one
 * entry, would show), no fewer.
 */
export const clean: Suite = {
  name: 'clean',

  steps(ctx) {
    const copy = ctx.out('clean-tree');
    const vault = ctx.out('clean-vault');
    const json = ctx.out('clean.json');
    return [
      {
        group: 'clean', tool: 'picvault clean', reads: [ctx.src], outputs: [copy, vault, json], writes: ctx.cache.distinctBytes,
        run: async () => {
          await ctx.fresh(copy);
          await ctx.fresh(vault);
          execFileSync('cp', ['-al', ctx.src, copy]);
          ctx.picvault(['archive', copy, '--to', vault, '--quiet']);
          const t = ctx.picvault(['clean', copy, '--vault', vault, '--yes', '--json', '--quiet', '--preview', ctx.out('clean-preview.png')], json);
          const result = JSON.parse(await readFile(json, 'utf8')) as { deleted: number; readBack?: ReadBack | null };
          if (result.deleted !== ctx.cache.files) throw new Error(`clean deleted ${result.deleted} of ${ctx.cache.files} files`);
          if (!result.readBack) return { ...t, bytes: 0, note: 'this picvault reports no readBack' };
          const stored = storedIn(vault);
          lastReadBack.set(ctx.work, { readBack: result.readBack, stored });
          return { ...t, bytes: 0, note: readBackNote(result.readBack, stored) };
        },
      },
    ];
  },

  async targets(ctx) {
    const last = lastReadBack.get(ctx.work);
    if (!last) return [];
    const { readBack, stored } = last;
    const target: Target = {
      name: 'clean reads back each stored picture once (read back ÷ stored)',
      value: null,
      limit: 1,
      text: `${readBack.pictures}/${stored.pictures} pictures, ${(readBack.bytes / 1e6).toFixed(1)}/${(stored.bytes / 1e6).toFixed(1)} MB`,
      met: readBack.pictures === stored.pictures && readBack.bytes === stored.bytes && readBack.damaged === 0,
    };
    return [target];
  },
};

function storedIn(vault: string): Stored {
  const db = openCatalog(path.join(vault, 'picvault.db'), { readonly: true });
  try {
    const t = storeTotals(db);
    return { pictures: t.images, bytes: t.imageBytes };
  } finally {
    db.close();
  }
}

/** clean's read-back beside what the vault stores. */
export function readBackNote(r: ReadBack, stored: Stored): string {
  return `read back ${r.pictures} pictures, ${(r.bytes / 1e6).toFixed(1)} MB (${r.damaged} damaged); the vault stores ${stored.pictures}, ${(stored.bytes / 1e6).toFixed(1)} MB`;
}
