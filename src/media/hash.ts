import { createReadStream } from 'node:fs';
import xxhash from 'xxhash-wasm';

type Hasher = Awaited<ReturnType<typeof xxhash>>;
let hasher: Hasher | undefined;

/** xxhash-wasm compiles its module once; every hash in the program shares it. */
export async function loadHasher(): Promise<Hasher> {
  hasher ??= await xxhash();
  return hasher;
}

/** An image's identity: xxh64 (seed 0) of its raw bytes as 16 lowercase hex digits. */
export const hex64 = (v: bigint) => v.toString(16).padStart(16, '0');

export async function hashBytes(bytes: Uint8Array): Promise<string> {
  return hex64((await loadHasher()).h64Raw(bytes));
}

/** Streaming xxh64, for bytes that pass through (zips being written, entries being read back). */
export async function createHash64(): Promise<{ update(b: Uint8Array): void; digest(): string }> {
  const h = (await loadHasher()).create64();
  return {
    update: (b) => void h.update(b),
    digest: () => hex64(h.digest()),
  };
}

export async function hashFile(filePath: string): Promise<{ hash: string; size: number }> {
  const h = await createHash64();
  let size = 0;
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1 << 20 })) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { hash: h.digest(), size };
}
