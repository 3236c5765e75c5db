import { createReadStream } from 'node:fs';
import { xxh64, Xxh64 } from '@node-rs/xxhash';

/**
 * An image's identity is xxh64 (seed 0) of its raw bytes. @node-rs/xxhash hashes a buffer where
 * it lies, natively: xxhash-wasm, used before, copied every input into its own memory first and
 * hashed at half the speed, and dedupe hashes every byte of a cache (docs/decisions.md).
 */

/** 16 lowercase hex digits. */
export const hex64 = (v: bigint) => v.toString(16).padStart(16, '0');

/** xxh64 of bytes, at once. */
export const hash64 = (bytes: Uint8Array): string => hex64(xxh64(bytes));

/** The same as `hash64`; kept async for the callers that await it. */
export async function hashBytes(bytes: Uint8Array): Promise<string> {
  return hash64(bytes);
}

/** Streaming xxh64, for bytes that pass through (zips being written, entries being read back, a .dat decoded piece by piece). */
export function streamHash64(): { update(b: Uint8Array): void; digest(): string } {
  const h = new Xxh64();
  return {
    update: (b) => void h.update(b),
    digest: () => hex64(h.digest()),
  };
}

/** `streamHash64`, for the callers that await it. */
export async function createHash64(): Promise<{ update(b: Uint8Array): void; digest(): string }> {
  return streamHash64();
}

export async function hashFile(filePath: string): Promise<{ hash: string; size: number }> {
  const h = streamHash64();
  let size = 0;
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1 << 20 })) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { hash: h.digest(), size };
}
