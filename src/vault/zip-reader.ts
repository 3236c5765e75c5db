import unzipper from 'unzipper';
import { createHash64 } from '../media/hash.js';
import { MANIFEST_ENTRY, parseManifest, type Manifest } from './manifest.js';

export interface ZipEntry {
  name: string;
  size: number;
  open(): NodeJS.ReadableStream;
}

/**
 * A zip opened by its central directory (one read of the tail); each entry is then read on its
 * own from its offset, so restoring a few files from a large zip reads only those files.
 */
export class ZipReader {
  private constructor(readonly entries: Map<string, ZipEntry>) {}

  static async open(zipPath: string): Promise<ZipReader> {
    const dir = await unzipper.Open.file(zipPath);
    const entries = new Map<string, ZipEntry>();
    for (const f of dir.files) {
      if (f.type !== 'File') continue;
      entries.set(f.path, { name: f.path, size: f.uncompressedSize, open: () => f.stream() });
    }
    return new ZipReader(entries);
  }

  /** xxh64 and length of an entry's content, as it comes out of the zip. */
  async hashEntry(name: string): Promise<{ hash: string; size: number }> {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`no entry ${name}`);
    const h = await createHash64();
    let size = 0;
    for await (const chunk of entry.open()) {
      h.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    return { hash: h.digest(), size };
  }

  async readEntry(name: string): Promise<Buffer> {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`no entry ${name}`);
    const chunks: Buffer[] = [];
    for await (const chunk of entry.open()) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async manifest(): Promise<Manifest> {
    return parseManifest(await this.readEntry(MANIFEST_ENTRY));
  }
}
