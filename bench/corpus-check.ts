/**
 * picvault's answers on a folder of real pictures, checked against independent tools: the type
 * and EXIF DateTimeOriginal exiftool gives each file, what `file` says it is, and for each WeChat
 * .dat whether it decodes, proven, to a picture exiftool then names. Prints each disagreement and
 * the counts (issue 18's closing note).
 *
 *   node --import tsx bench/corpus-check.ts [FOLDER]      (default: ../shared/corpus)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeDatProven } from '../src/media/dat.js';
import { inspectFile } from '../src/media/inspect.js';

const root = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '../../shared/corpus'));

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === '_licenses' ? [] : walk(p);
    return e.isFile() && !/\.md$|SHA256SUMS$/.test(e.name) ? [p] : [];
  });
}

/** exiftool's FileType as picvault's entry type (exiftool calls an animated AVIF "MP4", CR3 "CRX"). */
const fromExiftool = (type: string | undefined): string | null => {
  if (!type) return null;
  const t = type.toLowerCase().replace(/^extended /, '');
  return ({ jpeg: 'jpg', mpo: 'jpg', apng: 'png', heif: 'heic', heifs: 'heic', tiff: 'tif', crx: 'cr3', mp4: 'avif' } as Record<string, string>)[t] ?? t;
};

const files = walk(root);
/** exiftool's JSON for the files (it exits 1 when it knows some file's type not, and still answers for the rest). */
type Judged = { SourceFile: string; FileType?: string; DateTimeOriginal?: string };
const exiftool = (args: string[]) => JSON.parse(spawnSync('exiftool', ['-j', '-q', '-q', ...args], { maxBuffer: 64 << 20 }).stdout.toString() || '[]') as Judged[];
const exif = new Map(exiftool(['-FileType', '-EXIF:DateTimeOriginal', ...files]).map((r) => [r.SourceFile, r]));
const fileSays = (f: string) => execFileSync('file', ['-b', f]).toString().trim();

const counts = { files: files.length, typedAgree: 0, typedDiffer: 0, notImage: 0, datedAgree: 0, datedDiffer: 0, undated: 0, dat: 0, decoded: 0 };
const tmp = mkdtempSync(path.join(os.tmpdir(), 'picvault-check-'));
try {
  for (const f of files) {
    const rel = path.relative(root, f);
    const ins = await inspectFile({ path: f, size: statSync(f).size, source: 'folder' });
    const judged: Partial<Judged> = exif.get(f) ?? {};
    const stamp = judged.DateTimeOriginal?.replace(/^(\d{4}):(\d{2}):(\d{2})/, '$1-$2-$3').slice(0, 19) ?? null;
    if (ins.ext === 'dat') {
      counts.dat++;
      const got = await decodeDatProven(readFileSync(f));
      const out = path.join(tmp, `decoded.${got?.pictureExt ?? 'dat'}`);
      if (got) writeFileSync(out, got.picture);
      const type = got ? fromExiftool(exiftool(['-FileType', out])[0]?.FileType) : null;
      if (got && type === got.pictureExt) counts.decoded++;
      console.log(`${got ? 'decoded' : 'raw    '} ${rel}: ${got ? `${got.pictureExt} (exiftool: ${type}, file: ${fileSays(out)})` : 'not proven'}`);
      continue;
    }
    const want = fromExiftool(judged.FileType);
    if (!ins.ext) {
      counts.notImage++;
      console.log(`not an image ${rel}: exiftool ${judged.FileType ?? '-'}, file: ${fileSays(f)}`);
    } else if (ins.ext === want) counts.typedAgree++;
    else {
      counts.typedDiffer++;
      console.log(`type differs ${rel}: picvault ${ins.ext}, exiftool ${judged.FileType ?? '-'}, file: ${fileSays(f)}`);
    }
    if (!ins.ext) continue;
    if (stamp === null && ins.exifDate === null) counts.undated++;
    else if (stamp === ins.exifDate) counts.datedAgree++;
    else {
      counts.datedDiffer++;
      console.log(`date differs ${rel}: picvault ${ins.exifDate ?? '-'}, exiftool ${stamp ?? '-'}`);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(JSON.stringify(counts));
