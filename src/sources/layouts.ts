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

/**
 * What a folder's place in a cache says about every file directly in it. Only the kind can still
 * depend on a file's own name (WeChat 4.x `_t.dat`, Android `th_`); that is then a function of
 * the lower-cased name. Worked out once per folder: the walk classifies a folder's files one
 * after another, and classifying each path from scratch cost 15 µs a file (docs/performance.md).
 */
export interface FolderLayout extends Omit<Classified, 'kind'> {
  kind: ImageKind | ((lowerName: string) => ImageKind);
}

/** Index of the first run of components equal to names (given lower-case), or -1. */
function find(low: string[], ...names: string[]): number {
  outer: for (let i = 0; i + names.length <= low.length; i++) {
    for (let j = 0; j < names.length; j++) if (low[i + j] !== names[j]) continue outer;
    return i;
  }
  return -1;
}

const monthOf = (s: string | undefined) => (s && MONTH.test(s) ? s : undefined);
const QQNT_PIC_KINDS = new Set(['ori', 'thumb', 'oritemp', 'thumbtemp']);

// Each detector gets a folder's components (parts) and the same lower-cased (low), without the
// file's name: a file at …/a/b/name has parts […, 'a', 'b'].

/** QQNT: …/<QQ>/nt_qq/nt_data/Pic/YYYY-MM/{Ori,Thumb,OriTemp,ThumbTemp}/<md5>[_0|_720].<ext>, …/nt_data/Emoji/… */
function qqnt(parts: string[], low: string[]): FolderLayout | null {
  const nt = find(low, 'nt_data');
  const account = nt >= 2 && low[nt - 1].startsWith('nt_qq') ? parts[nt - 2] : undefined;
  if (nt >= 0 && low[nt + 1] === 'emoji') {
    return { source: 'qqnt', kind: 'sticker', account, folderMonth: parts.slice(nt + 2).map(monthOf).find(Boolean) };
  }
  // A Pic folder copied out of its account is still recognised by its month and kind folders.
  const pic = parts.length - 3;
  if (pic < 0 || low[pic] !== 'pic' || !MONTH.test(parts[pic + 1]) || !QQNT_PIC_KINDS.has(low[pic + 2])) return null;
  return { source: 'qqnt', kind: low[pic + 2].startsWith('thumb') ? 'thumb' : 'original', account, folderMonth: parts[pic + 1] };
}

/** WeChat 4.x: …/xwechat_files/<wxid>_<4hex>/msg/attach/<md5>/YYYY-MM/Img/<md5>[_t|_h].dat */
function wechat4(parts: string[], low: string[]): FolderLayout | null {
  const at = find(low, 'msg', 'attach');
  if (at < 0 || parts.length - at !== 5 || low[at + 4] !== 'img' || !MONTH.test(parts[at + 3])) return null;
  return {
    source: 'wechat4',
    kind: (name) => (name.endsWith('_t.dat') ? 'thumb' : 'original'),
    account: parts[at - 1],
    chat: parts[at + 2],
    folderMonth: parts[at + 3],
  };
}

/**
 * WeChat 3.x: …/<wxid>/FileStorage/Image/YYYY-MM/*.dat,
 * …/FileStorage/MsgAttach/<md5>/{Image,Thumb}/YYYY-MM/*.dat, …/FileStorage/CustomEmotion/…
 */
function wechat3(parts: string[], low: string[]): FolderLayout | null {
  const fs = find(low, 'filestorage');
  if (fs < 0) return null;
  const account = parts[fs - 1];
  const area = low[fs + 1];
  if (area === 'image' && monthOf(parts[fs + 2]) && parts.length - fs === 3) {
    return { source: 'wechat', kind: 'original', account, folderMonth: parts[fs + 2] };
  }
  if (area === 'msgattach' && parts.length - fs === 5 && MONTH.test(parts[fs + 4])) {
    const sub = low[fs + 3];
    if (sub !== 'image' && sub !== 'thumb') return null;
    return { source: 'wechat', kind: sub === 'thumb' ? 'thumb' : 'original', account, chat: parts[fs + 2], folderMonth: parts[fs + 4] };
  }
  if (area === 'customemotion') return { source: 'wechat', kind: 'sticker', account };
  return null;
}

/** Android WeChat: …/MicroMsg/<32hex>/image2/<2>/<2>/[th_]<md5>[hd], no extension. */
function android(parts: string[], low: string[]): FolderLayout | null {
  const i = find(low, 'image2');
  if (i < 1 || parts.length - i !== 3 || !MD5.test(parts[i - 1])) return null;
  return { source: 'android', kind: (name) => (name.startsWith('th_') ? 'thumb' : 'original'), account: parts[i - 1] };
}

const QQ_IMAGE_AREAS = new Set(['group2', 'group', 'c2c']);

/** QQ classic: …/<QQ>/Image/Group2/<c1c2>/<c3c4>/<name>.<ext>, …/Image/C2C/<32hex>.<ext>, Image/Group/… */
function qq(parts: string[], low: string[]): FolderLayout | null {
  const i = low.findIndex((p, k) => p === 'image' && QQ_IMAGE_AREAS.has(low[k + 1]));
  if (i < 0) return null;
  const thumb = low.slice(i + 1).some((p) => p.includes('thumb'));
  return { source: 'qq', kind: thumb ? 'thumb' : 'original', account: parts[i - 1] };
}

const DETECTORS = [qqnt, wechat4, wechat3, android, qq];

const splitPath = (p: string) => p.split(/[\\/]+/).filter(Boolean);

/**
 * A folder every layout needs in a file's path, with more path after it (`nt_data`, `Pic`,
 * `attach`, `FileStorage`, `image2`, `Image`; see each detector). A path with none of them is a
 * plain folder, known without taking the path apart: a phone export's 17 000 folders cost the walk
 * 60-80 ms of detectors otherwise (docs/performance.md, twelfth round).
 */
const LANDMARK = /(?:^|[\\/])(?:nt_data|pic|attach|filestorage|image2?)[\\/]/i;

function layoutOf(parts: string[]): FolderLayout | null {
  const low = parts.map((p) => p.toLowerCase());
  for (const detect of DETECTORS) {
    const found = detect(parts, low);
    if (found) return found;
  }
  return null;
}

/** The cache layout of the files directly in a folder (absolute, either flavour); null for a plain folder. */
export const folderLayout = (dir: string): FolderLayout | null => (LANDMARK.test(dir + '/') ? layoutOf(splitPath(dir)) : null);

/** A file's kind in a folder of that layout. */
export const kindIn = (layout: FolderLayout, name: string): ImageKind =>
  typeof layout.kind === 'function' ? layout.kind(name.toLowerCase()) : layout.kind;

/** The cache layout a file belongs to, from its absolute path in either flavour; null for a plain folder. */
export function classify(absPath: string): Classified | null {
  // The landmark is a folder: followed by a separator, never the file's own name.
  if (!LANDMARK.test(absPath)) return null;
  const parts = splitPath(absPath);
  const name = parts.pop() ?? '';
  const layout = layoutOf(parts);
  return layout && { ...layout, kind: kindIn(layout, name) };
}
