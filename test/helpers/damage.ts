import assert from 'node:assert/strict';
import { open, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateRawSync, crc32 } from 'node:zlib';
import { hashBytes } from '../../src/media/hash.js';
import { MANIFEST_ENTRY, type Manifest } from '../../src/vault/manifest.js';
import { ZipReader } from '../../src/vault/zip-reader.js';
import { ZipWriter } from '../../src/vault/zip-writer.js';

/** Flips one byte in the middle of the first image entry's data, in place: the zip's size is unchanged (bit rot). */
export async function flipByteInEntry(zip: string): Promise<string> {
  const reader = await ZipReader.open(zip);
  const name = [...reader.entries.keys()].find((n) => !n.startsWith('picvault-'))!;
  const bytes = await reader.readEntry(name);
  await reader.close();
  const handle = await open(zip, 'r+');
  try {
    const all = Buffer.alloc((await stat(zip)).size);
    await handle.read(all, 0, all.length, 0);
    const at = all.indexOf(bytes.subarray(100, 132)) + 10;
    assert.ok(at > 10, 'entry data found in the zip');
    await handle.write(Buffer.from([all[at] ^ 0xff]), 0, 1, at);
  } finally {
    await handle.close();
  }
  return name;
}

/**
 * Writes a vault zip again with picvault's own writer, its manifest and entries edited, under the
 * name its new bytes hash to (as a tool that rewrote it, or someone who knew the naming, would);
 * the old file is removed. Returns the new path.
 */
export async function rewriteZip(
  zip: string,
  edit: { manifest?: (m: Manifest) => unknown; entry?: (name: string, bytes: Buffer) => Buffer; rawManifest?: Buffer },
): Promise<string> {
  const reader = await ZipReader.open(zip);
  const manifest = await reader.manifest();
  const tmp = `${zip}.rewrite`;
  const w = await ZipWriter.create(tmp);
  for (const name of reader.entries.keys()) {
    if (name === MANIFEST_ENTRY) continue;
    const bytes = await reader.readEntry(name);
    await w.add(name, edit.entry ? edit.entry(name, Buffer.from(bytes)) : bytes, new Date());
  }
  await reader.close();
  const body = edit.rawManifest ?? Buffer.from(JSON.stringify(edit.manifest ? edit.manifest(manifest) : manifest));
  await w.add(MANIFEST_ENTRY, body, new Date(), { deflate: true });
  const { xxh64 } = await w.finish();
  await rm(zip);
  const month = path.basename(zip).slice(0, 7);
  const renamed = path.join(path.dirname(zip), `${month}_${xxh64}.zip`);
  await rename(tmp, renamed);
  return renamed;
}

export interface RawEntry {
  name: string;
  /** The bytes as stored in the zip (deflated already when method is 8). */
  data: Buffer;
  method: 0 | 8;
  /** The uncompressed size the headers claim (may lie). */
  size: number;
  crc?: number;
}

/** A zip written byte by byte, for the hostile ones no ordinary writer makes (sizes that lie, bombs). */
export async function writeRawZip(file: string, entries: RawEntry[]): Promise<void> {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.crc ?? 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(e.method, 10);
    cd.writeUInt32LE(e.crc ?? 0, 16);
    cd.writeUInt32LE(e.data.length, 20);
    cd.writeUInt32LE(e.size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    parts.push(local, name, e.data);
    offset += local.length + name.length + e.data.length;
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  await writeFile(file, Buffer.concat([...parts, cdBytes, end]));
}

/**
 * A raw deflate stream that inflates to `size` zero bytes, made in a moment: one fully flushed
 * block of 16 MiB of zeros (about 16 KB) repeated, then an empty final block. 1.5 GB fits in
 * 1.5 MB, as in the issue.
 */
export function zeroBomb(size: number): Buffer {
  const piece = 16 * 1024 * 1024;
  const block = deflateRawSync(Buffer.alloc(piece), { finishFlush: 3 /* Z_FULL_FLUSH: not final */ });
  const count = Math.ceil(size / piece);
  return Buffer.concat([...Array.from({ length: count }, () => block), Buffer.from([0x03, 0x00])]);
}

/** A stored entry for writeRawZip, named by its hash as the vault names images. */
export async function imageEntry(bytes: Buffer, ext = 'jpg'): Promise<RawEntry> {
  return { name: `${await hashBytes(bytes)}.${ext}`, data: bytes, method: 0, size: bytes.length, crc: crc32(bytes) };
}

/** Flips one byte inside the zip's deflated manifest, in place (its size unchanged). */
export async function flipByteInManifest(zip: string): Promise<void> {
  const reader = await ZipReader.open(zip);
  const entry = reader.entries.get(MANIFEST_ENTRY)!;
  await reader.close();
  const handle = await open(zip, 'r+');
  try {
    const header = Buffer.alloc(30);
    await handle.read(header, 0, 30, entry.headerOffset);
    const start = entry.headerOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const at = start + Math.floor(entry.compressedSize / 2);
    const b = Buffer.alloc(1);
    await handle.read(b, 0, 1, at);
    await handle.write(Buffer.from([b[0] ^ 0x5a]), 0, 1, at);
  } finally {
    await handle.close();
  }
}
