/**
 * A zip entry's local header, read where the central directory says it is. Apart from
 * zip-reader.ts so that the reader threads that read entries at their offsets (dedupe's, for
 * one) do not load unzipper and the manifest's schema with it.
 */

/** A local file header's fixed part: signature, versions, sizes, and the name and extra lengths. */
export const LOCAL_HEADER = 30;

/** Where an entry's data starts, from the fixed part of its local header; null when it is not one. */
export function localDataStart(header: Buffer, headerOffset: number): number | null {
  if (header.length < LOCAL_HEADER || header.readUInt32LE(0) !== 0x04034b50) return null;
  return headerOffset + LOCAL_HEADER + header.readUInt16LE(26) + header.readUInt16LE(28);
}
