/**
 * The catalogue finds a place by its path through an index of this key rather than of the path
 * itself (migrations/0004): a path averages over a hundred bytes, and an index of them made
 * recording a place cost twice what the row did and took a third of the catalogue's bytes.
 *
 * 47 bits of two FNV-1a style lanes over the path's UTF-16 code units: fast enough to compute for
 * every place (about half a microsecond), deterministic across platforms and Node versions, and
 * small enough for SQLite to store in six bytes (a signed 48-bit integer). It only narrows a
 * lookup: every query compares the path itself too, so two paths that share a key cost a row
 * read, never a wrong answer.
 */
export function pathKey(path: string): number {
  let low = 0x811c9dc5;
  let high = 0x050c5d1f;
  for (let i = 0; i < path.length; i++) {
    const unit = path.charCodeAt(i);
    low = Math.imul(low ^ unit, 0x01000193);
    high = Math.imul(high ^ unit, 0x5bd1e995);
  }
  // A multiplicative hash mixes its high bits best: take the top 15 of the second lane.
  return (high >>> 17) * 0x1_0000_0000 + (low >>> 0);
}

/** The name migrations call it by (see openCatalog). */
export const PATH_KEY_SQL = 'picvault_path_key';
