import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, utimes } from 'node:fs/promises';
import path from 'node:path';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { createHash } from 'node:crypto';
import { encodeDat3 } from '../../src/media/dat.js';
import { buildWeChat3 } from './caches.js';
import { corpusColor, corpusPhoto } from './duplicates.js';
import { putFile, writeImage } from './images.js';
import { BIN, picvault } from './cli.js';
import { CORPUS } from './vault.js';
import { tempDir } from './tmp.js';

/** What a served vault holds, by what each picture is there to show. */
export interface ServedVault {
  root: string;
  vault: string;
  cache: string;
  photos: string;
  /** The WeChat account folder archived. */
  wechat: string;
  files: {
    /** A JPEG whose EXIF says "turned a quarter": 120 × 60 stored, 60 × 120 seen. */
    turned: string;
    /** An animated GIF from the corpus. */
    animated: string;
    /** A real HEIC from the corpus: sharp's prebuilt libvips cannot decode it. */
    heic: string;
    /** One picture at two places (two folders). */
    twice: [string, string];
    /** WeChat 3.x .dat files (XOR) in their month folders, and one chat's. */
    dat: string[];
    /** The corpus colour chart as a JPEG in a folder and as the WeChat .dat hiding it (the same picture), in 2024-02. */
    color: { jpeg: string; dat: string };
    /** A corpus photo (EXIF: 2012-06) and WeChat's recompressed copy of it in a chat, as a .dat (similar). */
    car: { photo: string; wechat: string };
  };
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/**
 * A small vault, archived by the real binary as device "pc": plain photos in 2024-05 (one turned
 * by EXIF, one animated GIF, one HEIC, one picture twice: identical copies) and a WeChat 3.x cache
 * (.dat, a chat), with a duplicate of each other tier: a JPEG and its .dat (same picture), a photo
 * and WeChat's copy of it (similar).
 */
export async function buildServedVault(): Promise<ServedVault> {
  const root = await tempDir('picvault-serve-');
  const photos = path.join(root, 'photos');
  const turned = path.join(photos, 'turned.jpg');
  const bytes = await sharp({ create: { width: 120, height: 60, channels: 3, background: '#3a7' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  await putFile(turned, bytes, '2024-05-03');
  const animated = path.join(photos, 'gifs', 'dispose_bgnd.gif');
  const heic = path.join(photos, 'phone', 'samplefilehub.heif');
  for (const [from, to] of [['pillow/Tests/images/dispose_bgnd.gif', animated], ['exif-samples/heic/samplefilehub.heif', heic]]) {
    await mkdir(path.dirname(to), { recursive: true });
    await copyFile(path.join(CORPUS, from), to);
    const when = new Date(2024, 4, 10, 12);
    await utimes(to, when, when);
  }
  const twice: [string, string] = [path.join(photos, 'a', 'same.png'), path.join(photos, 'b', 'same-again.png')];
  await writeImage(twice[0], 7, '2024-05-20', 'png');
  await writeImage(twice[1], 7, '2024-05-21', 'png');
  for (let i = 0; i < 3; i++) await writeImage(path.join(photos, `p${i}.jpg`), 20 + i, `2024-05-1${i}`);
  const wechat = path.join(root, 'WeChat Files', 'wxid_test');
  const dat = (await buildWeChat3(wechat)).map((f) => f.path);
  const friends = path.join(wechat, 'FileStorage', 'MsgAttach', md5('friends'), 'Image', '2024-02');
  const { jpeg: colorJpeg, dat9f } = await corpusColor();
  const color = { jpeg: path.join(photos, 'saved', 'color.jpg'), dat: path.join(friends, `${md5('color')}.dat`) };
  await putFile(color.jpeg, colorJpeg, '2024-02-14');
  await putFile(color.dat, dat9f, '2024-02-14');
  const { photo, wechat: recompressed } = await corpusPhoto();
  const car = { photo: path.join(photos, 'camera', 'car.jpg'), wechat: path.join(friends, `${md5('car')}.dat`) };
  await putFile(car.photo, photo, '2024-02-10');
  await putFile(car.wechat, encodeDat3(recompressed, 0x9f), '2024-02-11');
  const vault = path.join(root, 'vault');
  const r = await picvault(['archive', photos, wechat, '--to', vault, '--device-name', 'pc']);
  assert.equal(r.code, 0, r.stderr);
  return { root, vault, cache: path.join(root, 'cache'), photos, wechat, files: { turned, animated, heic, twice, dat, color, car } };
}

export interface Serving {
  child: ChildProcess;
  /** The address serve printed, with its token. */
  url: URL;
  /** Everything it printed so far. */
  out: () => string;
}

/** The real binary's `serve` on a random port, as a user starts it; resolves with the address it prints. */
export async function spawnServe(vault: string, cache: string, as: { uid?: number; gid?: number; args?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<Serving> {
  const { args = [], env = {}, ...user } = as;
  const child = spawn(process.execPath, [BIN, 'serve', '--vault', vault, ...args], {
    env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '', PICVAULT_CACHE_DIR: cache, PICVAULT_DEVICE: 'pc', PICVAULT_VAULT: '', ...env },
    ...user,
  });
  let out = '';
  const url = await new Promise<URL>((resolve, reject) => {
    const seen = (d: Buffer) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(out);
      if (m) resolve(new URL(m[0]));
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  return { child, url, out: () => out };
}

/** Stops a serve with Ctrl-C (SIGINT unless said); resolves with its exit code. */
export async function stopServe(s: Serving, signal: NodeJS.Signals = 'SIGINT'): Promise<number | null> {
  if (s.child.exitCode !== null) return s.child.exitCode;
  s.child.kill(signal);
  return new Promise((resolve) => s.child.once('exit', resolve));
}
