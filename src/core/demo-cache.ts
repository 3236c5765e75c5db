import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

export interface SampleFile {
  path: string;
  month: string;
}

const CHATS = ['家人群', 'work-chat', 'group-2048', 'friends'];
const FORMATS = ['jpeg', 'png', 'gif', 'webp'] as const;

/** A real image: a gradient with a few shapes, different for every seed, in the given format. */
export async function sampleImage(seed: number, format: (typeof FORMATS)[number], size = 96, exifDate?: string): Promise<Buffer> {
  const hue = (seed * 47) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="hsl(${hue},70%,60%)"/><stop offset="1" stop-color="hsl(${(hue + 120) % 360},70%,35%)"/>
    </linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${20 + (seed * 13) % (size - 40)}" cy="${20 + (seed * 29) % (size - 40)}" r="${8 + (seed % 12)}" fill="white" fill-opacity="0.8"/>
    <rect x="${(seed * 7) % (size / 2)}" y="${size / 2}" width="${size / 3}" height="${6 + (seed % 9)}" fill="black" fill-opacity="0.5"/>
  </svg>`;
  let img = sharp(Buffer.from(svg))[format]();
  if (exifDate && format === 'jpeg') img = img.withExif({ IFD0: { Make: 'picvault demo' }, IFD2: { DateTimeOriginal: exifDate } } as never);
  return img.toBuffer();
}

/**
 * The built-in demo: a small chat-like cache of real images over eight months of 2024, with the
 * same pictures forwarded into several chats (so dedupe has work) and two photos whose EXIF says
 * when they were taken.
 */
export async function buildSampleCache(dir: string, count = 40): Promise<SampleFile[]> {
  const files: SampleFile[] = [];
  for (let i = 0; i < count; i++) {
    // Every fourth file is a picture already sent in another chat: the same bytes again.
    const seed = i % 4 === 3 ? i - 2 : i;
    const format = FORMATS[seed % FORMATS.length];
    const monthIndex = i % 8;
    const month = `2024-${String(monthIndex + 1).padStart(2, '0')}`;
    const chat = CHATS[i % CHATS.length];
    const exif = seed === 4 || seed === 8 ? `2019:0${seed / 4}:15 10:30:00` : undefined;
    const bytes = await sampleImage(seed, format, 96, exif);
    const folder = path.join(dir, chat, month);
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, `img_${String(i).padStart(3, '0')}.${format === 'jpeg' ? 'jpg' : format}`);
    await writeFile(file, bytes);
    const when = new Date(2024, monthIndex, 3 + (i % 20), 12, 0, 0);
    await utimes(file, when, when);
    files.push({ path: file, month: exif ? `2019-0${seed / 4}` : month });
  }
  return files;
}
