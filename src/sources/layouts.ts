import type { ImageKind, SourceKind } from './types.js';

/** What a file's path says about it, in a QQ or WeChat cache (SPEC "Sources and dates"). */
export interface Classified {
  source: SourceKind;
  kind: ImageKind;
  /** QQ number, wxid, or the Android account folder. */
  account?: string;
  /** The chat folder (an md5) where the layout has one. */
  chat?: string;
  /** YYYY-MM from the folder name where the layout keeps one. */
  folderMonth?: string;
}

const MONTH = /^\d{4}-\d{2}$/;
const MD5 = /^[0-9a-f]{32}$/i;

const lower = (s: string | undefined) => (s ?? '').toLowerCase();
const monthOf = (s: string | undefined) => (s && MONTH.test(s) ? s : undefined);

/** Index of the first run of components equal (case-insensitively) to names, or -1. */
function find(parts: string[], ...names: string[]): number {
  outer: for (let i = 0; i + names.length <= parts.length; i++) {
    for (let j = 0; j < names.length; j++) if (lower(parts[i + j]) !== names[j]) continue outer;
    return i;
  }
  return -1;
}

/** QQNT: …/<QQ>/nt_qq/nt_data/Pic/YYYY-MM/{Ori,Thumb,OriTemp,ThumbTemp}/<md5>[_0|_720].<ext>, …/nt_data/Emoji/… */
function qqnt(parts: string[]): Classified | null {
  const nt = find(parts, 'nt_data');
  const account = nt >= 2 && lower(parts[nt - 1]).startsWith('nt_qq') ? parts[nt - 2] : undefined;
  if (nt >= 0 && lower(parts[nt + 1]) === 'emoji') {
    return { source: 'qqnt', kind: 'sticker', account, folderMonth: parts.slice(nt + 2, -1).map(monthOf).find(Boolean) };
  }
  // A Pic folder copied out of its account is still recognised by its month and kind folders.
  for (let i = 0; i + 3 < parts.length; i++) {
    if (lower(parts[i]) !== 'pic' || !MONTH.test(parts[i + 1]) || i + 3 !== parts.length - 1) continue;
    const sub = lower(parts[i + 2]);
    if (!['ori', 'thumb', 'oritemp', 'thumbtemp'].includes(sub)) continue;
    return { source: 'qqnt', kind: sub.startsWith('thumb') ? 'thumb' : 'original', account, folderMonth: parts[i + 1] };
  }
  return null;
}

/** WeChat 4.x: …/xwechat_files/<wxid>_<4hex>/msg/attach/<md5>/YYYY-MM/Img/<md5>[_t|_h].dat */
function wechat4(parts: string[]): Classified | null {
  const at = find(parts, 'msg', 'attach');
  if (at < 0 || parts.length - at !== 6 || lower(parts[at + 4]) !== 'img' || !MONTH.test(parts[at + 3])) return null;
  const name = lower(parts.at(-1));
  return {
    source: 'wechat4',
    kind: /_t\.dat$/.test(name) ? 'thumb' : 'original',
    account: parts[at - 1],
    chat: parts[at + 2],
    folderMonth: parts[at + 3],
  };
}

/**
 * WeChat 3.x: …/<wxid>/FileStorage/Image/YYYY-MM/*.dat,
 * …/FileStorage/MsgAttach/<md5>/{Image,Thumb}/YYYY-MM/*.dat, …/FileStorage/CustomEmotion/…
 */
function wechat3(parts: string[]): Classified | null {
  const fs = find(parts, 'filestorage');
  if (fs < 0) return null;
  const account = parts[fs - 1];
  const area = lower(parts[fs + 1]);
  if (area === 'image' && monthOf(parts[fs + 2]) && parts.length - fs === 4) {
    return { source: 'wechat', kind: 'original', account, folderMonth: parts[fs + 2] };
  }
  if (area === 'msgattach' && parts.length - fs === 6 && MONTH.test(parts[fs + 4])) {
    const sub = lower(parts[fs + 3]);
    if (sub !== 'image' && sub !== 'thumb') return null;
    return { source: 'wechat', kind: sub === 'thumb' ? 'thumb' : 'original', account, chat: parts[fs + 2], folderMonth: parts[fs + 4] };
  }
  if (area === 'customemotion') return { source: 'wechat', kind: 'sticker', account };
  return null;
}

/** Android WeChat: …/MicroMsg/<32hex>/image2/<2>/<2>/[th_]<md5>[hd], no extension. */
function android(parts: string[]): Classified | null {
  const i = find(parts, 'image2');
  if (i < 1 || parts.length - i !== 4 || !MD5.test(parts[i - 1])) return null;
  return { source: 'android', kind: lower(parts.at(-1)).startsWith('th_') ? 'thumb' : 'original', account: parts[i - 1] };
}

/** QQ classic: …/<QQ>/Image/Group2/<c1c2>/<c3c4>/<name>.<ext>, …/Image/C2C/<32hex>.<ext>, Image/Group/… */
function qq(parts: string[]): Classified | null {
  const i = parts.findIndex((p, k) => lower(p) === 'image' && ['group2', 'group', 'c2c'].includes(lower(parts[k + 1])));
  if (i < 0 || i + 2 >= parts.length) return null;
  const thumb = parts.slice(i + 1, -1).some((p) => lower(p).includes('thumb'));
  return { source: 'qq', kind: thumb ? 'thumb' : 'original', account: parts[i - 1] };
}

const DETECTORS = [qqnt, wechat4, wechat3, android, qq];

/** The cache layout a file belongs to, from its absolute path in either flavour; null for a plain folder. */
export function classify(absPath: string): Classified | null {
  const parts = absPath.split(/[\\/]+/).filter(Boolean);
  for (const detect of DETECTORS) {
    const found = detect(parts);
    if (found) return found;
  }
  return null;
}
