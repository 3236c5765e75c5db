import { existsSync } from 'node:fs';
import path from 'node:path';

/** The programs the tests check picvault's work with, and where each comes from. */
export const TOOLS = [
  { name: 'unzip', use: 'checks every zip with Info-ZIP', debian: 'unzip', brew: 'unzip' },
  { name: '7z', use: 'checks every zip with 7-Zip', debian: 'p7zip-full', brew: 'p7zip' },
  { name: 'python3', use: "checks every zip with Python's zipfile, and types at clean's question in a terminal", debian: 'python3', brew: 'python' },
  { name: 'exiftool', use: "judges the picture fixtures' types and EXIF dates independently", debian: 'libimage-exiftool-perl', brew: 'exiftool' },
  { name: 'strace', use: 'sees each zip flushed before its rename (Linux only)', debian: 'strace', brew: null },
] as const;

export type Tool = (typeof TOOLS)[number];

/** Whether `name` is a program on this PATH. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  const names = platform === 'win32' ? [`${name}.exe`, `${name}.cmd`] : [name];
  return (env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && names.some((n) => existsSync(path.join(dir, n))));
}

/** The tools this machine lacks (strace is looked for on Linux only). */
export function missingTools(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Tool[] {
  return TOOLS.filter((t) => (t.name !== 'strace' || platform === 'linux') && !onPath(t.name, env, platform));
}

/** What is missing and how to install it, said once. */
export function toolsMessage(missing: readonly Tool[]): string {
  const debian = missing.map((t) => t.debian).join(' ');
  const brew = missing.flatMap((t) => (t.brew ? [t.brew] : [])).join(' ');
  return [
    `The tests need ${missing.length === 1 ? 'a program that is' : 'programs that are'} not installed:`,
    ...missing.map((t) => `  ${t.name}: ${t.use}`),
    'Install:',
    `  Debian/Ubuntu: sudo apt-get install ${debian}`,
    ...(brew ? [`  macOS (Homebrew): brew install ${brew}`] : []),
    '(.ci/run installs them on a fresh Debian machine.)',
  ].join('\n');
}
