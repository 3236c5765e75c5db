import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Suite } from './suite.js';

/**
 * clean of everything archived, timed. clean deletes, and the tree must stay for the next step
 * and repetition, so each run cleans a hard-linked copy of the tree (same inodes, same bytes and
 * times, its own paths), archived untimed into a vault of its own just before.
 *
 * Where clean's --json reports `readBack` (SPEC invariant 1: each picture's stored copy read back
 * from its zip and re-hashed once a run), the row shows it against the distinct bytes of the
 * pictures cleaned: what must be read back, and no more.
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
          const result = JSON.parse(await readFile(json, 'utf8')) as { deleted: number; bytes: number; readBack?: unknown };
          if (result.deleted !== ctx.cache.files) throw new Error(`clean deleted ${result.deleted} of ${ctx.cache.files} files`);
          return { ...t, bytes: 0, note: readBackNote(result.readBack, ctx.cache.distinctBytes) };
        },
      },
    ];
  },
};

/**
 * clean's read-back figures against the distinct bytes cleaned. The field is issue 17's; its
 * shape is read loosely (bytes and pictures, under any of the names below) so the bench says what
 * it found rather than failing.
 */
export function readBackNote(readBack: unknown, distinctBytes: number): string | undefined {
  if (readBack === undefined || readBack === null) return undefined;
  const r = readBack as Record<string, unknown>;
  const bytes = [r.bytes, r.storedBytes, r.readBytes].find((v): v is number => typeof v === 'number');
  const pictures = [r.pictures, r.images, r.entries].find((v): v is number => typeof v === 'number');
  if (bytes === undefined) return `read back: ${JSON.stringify(readBack)}`;
  return `read back ${pictures ?? '?'} pictures, ${(bytes / 1e6).toFixed(0)} MB = ${(bytes / distinctBytes).toFixed(3)} × the distinct bytes`;
}
