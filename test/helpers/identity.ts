import { createHash } from 'node:crypto';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ZipReader } from '../../src/vault/zip-reader.js';
import { MANIFEST_ENTRY } from '../../src/vault/manifest.js';
import { vaultZips } from './vault.js';

/** Picture identity's fixtures: WeChat folders, files with their dates, and what a vault's zips store. */

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** Writes a file dated `when` (default 3 June 2024, noon); its path. */
export async function putDat(file: string, bytes: Buffer, when = new Date(2024, 5, 3, 12)): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
  await utimes(file, when, when);
  return file;
}

/** A WeChat 3.x month folder of an account, under `root/device`. */
export const w3Dir = (root: string, device: string, account: string) => path.join(root, device, 'WeChat Files', account, 'FileStorage', 'Image', '2024-05');

/** A WeChat 4.x month folder of an account (`<wxid>_<4hex>`), one chat. */
export const w4Dir = (root: string, account: string) => path.join(root, 'xwechat_files', account, 'msg', 'attach', md5(`${account} chat`), '2024-05', 'Img');

/** Where `restore --to back` writes a device's file. */
export const restoredAt = (back: string, device: string, file: string) => path.join(back, device, path.relative('/', file));

/** Every image entry the vault's zips store (not their manifests), and the zip it is in. */
export async function zipImageEntries(vault: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const zip of await vaultZips(vault)) {
    const reader = await ZipReader.open(zip);
    try {
      for (const name of reader.entries.keys()) if (name !== MANIFEST_ENTRY) out.set(name, zip);
    } finally {
      await reader.close();
    }
  }
  return out;
}
