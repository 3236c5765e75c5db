/**
 * npm run bench:similar [-- --small]
 *
 * Precision and recall of `dedupe --similar N` for each pHash distance N on the labelled set
 * (bench/labelled-set.ts), made from the corpus photos in a temporary folder and removed after.
 * The default of `--similar` (SIMILAR_DEFAULT) comes from it: the largest multiple of 4 below the
 * first N that finds a wrong pair. A similar pair may be cleaned, so a wrong pair costs more than
 * a missed one, and the margin keeps a slightly different set of pictures from tipping it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SIMILAR_DEFAULT } from '../src/core/dedupe/similar-index.js';
import { perceptualHash } from '../src/media/perceptual.js';
import { mapLimit } from '../src/engine/pool.js';
import { buildLabelledSet, thresholdTable } from './labelled-set.js';

const dir = await mkdtemp(path.join(os.tmpdir(), 'picvault-labels-'));
try {
  const set = await buildLabelledSet(dir, { small: process.argv.includes('--small') });
  const hashes = await mapLimit(set, 4, (p) => perceptualHash(p.file));
  const rows = thresholdTable(set, hashes, 96, 4);
  const fine = thresholdTable(set, hashes, 96, 1);
  const families = new Set(set.map((p) => p.family)).size;
  console.log(`labelled set: ${set.length} pictures in ${families} families (${set.filter((p) => p.nearMiss).length} near misses), ${hashes.filter((h) => h === null).length} undecodable, ${hashes.filter((h) => h?.flat).length} flat`);
  console.log('');
  console.log('| N (pHash bits of 256) | precision | recall | pairs found | false: near misses | false: unrelated |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const mark = r.threshold === SIMILAR_DEFAULT ? ' ← default' : '';
    console.log(`| ${r.threshold}${mark} | ${r.precision.toFixed(3)} | ${r.recall.toFixed(3)} | ${r.found} | ${r.falseNearMiss} | ${r.falseUnrelated} |`);
  }
  const firstWrong = fine.find((r) => r.precision < 1)?.threshold ?? Infinity;
  const suggested = Number.isFinite(firstWrong) ? Math.floor((firstWrong - 1) / 4) * 4 : fine.at(-1)!.threshold;
  console.log('');
  console.log(`first N with a wrong pair: ${firstWrong}; the rule gives ${suggested}; SIMILAR_DEFAULT is ${SIMILAR_DEFAULT}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
