import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export type CacheApp = 'QQ' | 'WeChat' | 'WeChat 4';

export interface Candidate {
  app: CacheApp;
  path: string;
  /** Where the candidate came from: a default place, or an app setting that moved it. */
  via: 'default' | 'setting';
}

export interface Discovery {
  found: Candidate[];
  lookedIn: Candidate[];
}

/**
 * Default cache places, relative to the home folder, per system. Windows keeps them in Documents.
 * macOS keeps them in the apps' containers. QQ for Linux (QQNT) keeps each account in
 * `~/.config/QQ/nt_qq_<hash>/nt_data` (the layout qqnt reads); WeChat for Linux 4.x keeps
 * `~/Documents/xwechat_files` (`~/xwechat_files` where it cannot reach Documents, as in its
 * Flatpak), and the Windows apps run under Wine keep theirs in Documents as on Windows.
 */
const DEFAULTS: Partial<Record<NodeJS.Platform, { app: CacheApp; rel: string[] }[]>> & { other: { app: CacheApp; rel: string[] }[] } = {
  win32: [
    { app: 'QQ', rel: ['Documents', 'Tencent Files'] },
    { app: 'WeChat', rel: ['Documents', 'WeChat Files'] },
    { app: 'WeChat 4', rel: ['Documents', 'xwechat_files'] },
  ],
  darwin: [
    { app: 'QQ', rel: ['Library', 'Containers', 'com.tencent.qq', 'Data', 'Library', 'Application Support', 'QQ'] },
    { app: 'WeChat', rel: ['Library', 'Containers', 'com.tencent.xinWeChat', 'Data', 'Library', 'Application Support', 'com.tencent.xinWeChat'] },
    { app: 'WeChat 4', rel: ['Library', 'Containers', 'com.tencent.xinWeChat', 'Data', 'Documents', 'xwechat_files'] },
  ],
  other: [
    { app: 'QQ', rel: ['.config', 'QQ'] },
    { app: 'WeChat 4', rel: ['Documents', 'xwechat_files'] },
    { app: 'WeChat 4', rel: ['xwechat_files'] },
    { app: 'QQ', rel: ['Documents', 'Tencent Files'] },
    { app: 'WeChat', rel: ['Documents', 'WeChat Files'] },
  ],
};

/** Where this system's apps keep their caches by default, in its own path flavour. */
export function defaultCachePlaces(home: string, platform: NodeJS.Platform = process.platform): Candidate[] {
  const flavour = platform === 'win32' ? path.win32 : path.posix;
  return (DEFAULTS[platform] ?? DEFAULTS.other).map((d) => ({ app: d.app, path: flavour.join(home, ...d.rel), via: 'default' as const }));
}

const isDir = (p: string) => stat(p).then((s) => s.isDirectory(), () => false);

/**
 * Where QQ and WeChat were told to keep their files.
 * - Classic QQ writes its "Tencent Files" folder into the Public Documents'
 *   `Tencent\QQ\UserDataInfo.ini`, `[UserDataSet] UserDataSavePath=` (`C:\Users\Public` beside
 *   the user's home);
 * - WeChat 3.x writes the chosen folder into `%APPDATA%\Tencent\WeChat\All Users\config\3ebffe94.ini`
 *   ("MyDocument:" means the default);
 * - WeChat 4.x writes its root into an .ini under `%APPDATA%\Tencent\xwechat\config`.
 */
async function movedBySettings(home: string): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const qq = await readSetting(path.join(path.dirname(home), 'Public', 'Documents', 'Tencent', 'QQ', 'UserDataInfo.ini'));
  const qqPath = qq && iniValue(qq, 'UserDataSet', 'UserDataSavePath');
  if (qqPath && isAbsoluteAnywhere(qqPath)) {
    // The folder itself where it is named so; a folder chosen above it (a drive's root, say) holds one.
    const dir = qqPath.replace(/[\\/]+$/, '');
    const named = /^tencent files$/i.test(dir.split(/[\\/]/).pop() ?? '');
    out.push({ app: 'QQ', path: named ? dir : joinAny(qqPath, 'Tencent Files'), via: 'setting' });
  }
  const roaming = path.join(home, 'AppData', 'Roaming', 'Tencent');
  const v3Path = (await readSetting(path.join(roaming, 'WeChat', 'All Users', 'config', '3ebffe94.ini')))?.trim();
  if (v3Path && v3Path !== 'MyDocument:' && isAbsoluteAnywhere(v3Path)) {
    out.push({ app: 'WeChat', path: joinAny(v3Path, 'WeChat Files'), via: 'setting' });
  }
  const v4Dir = path.join(roaming, 'xwechat', 'config');
  for (const name of await readdir(v4Dir).catch(() => [] as string[])) {
    if (!name.toLowerCase().endsWith('.ini')) continue;
    const text = ((await readSetting(path.join(v4Dir, name))) ?? '').trim();
    if (isAbsoluteAnywhere(text) && !text.includes('\n')) out.push({ app: 'WeChat 4', path: joinAny(text, 'xwechat_files'), via: 'setting' });
  }
  return out;
}

/** A folder a setting names must be absolute, in either flavour: `D:\…` or `/…`. */
const isAbsoluteAnywhere = (p: string) => /^([A-Za-z]:[\\/]|\/)/.test(p);

/** A settings file's text (see iniText); null when there is none. */
const readSetting = (file: string) => readFile(file).then(iniText, () => null);

/**
 * An .ini's text. Windows programs write them in the system's code page (GBK on a Chinese
 * Windows, where a folder name may well be Chinese) or as UTF-16 with its mark; UTF-8 is taken
 * when the bytes are valid UTF-8.
 */
function iniText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gbk').decode(bytes);
  }
}

/** One key's value in one section of an .ini (names compared as Windows does, ignoring case). */
function iniValue(text: string, section: string, key: string): string | null {
  let inSection = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const head = /^\[(.*)\]$/.exec(line);
    if (head) inSection = head[1].trim().toLowerCase() === section.toLowerCase();
    else if (inSection) {
      const eq = line.indexOf('=');
      if (eq > 0 && line.slice(0, eq).trim().toLowerCase() === key.toLowerCase()) return line.slice(eq + 1).trim() || null;
    }
  }
  return null;
}

/** A setting's folder is in the flavour of the machine that wrote it. */
const joinAny = (base: string, name: string) => (/^[A-Za-z]:/.test(base) ? path.win32.join(base, name) : path.posix.join(base, name));

/** The chat caches of this machine (or of a fake home, for tests): what exists, and what was looked for. */
export async function discoverCaches(home: string): Promise<Discovery> {
  const lookedIn: Candidate[] = [
    ...defaultCachePlaces(home),
    ...(await movedBySettings(home)),
  ];
  const seen = new Set<string>();
  const found: Candidate[] = [];
  for (const c of lookedIn) {
    if (seen.has(c.path) || !(await isDir(c.path))) continue;
    seen.add(c.path);
    found.push(c);
  }
  return { found, lookedIn };
}
