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
  /** The folder holds videos beside their thumbnails: picvault archives pictures, not videos (isVideoName). */
  videos?: true;
}

/** Video files, by their extension, in the folders where chat apps keep videos beside their thumbnails. */
export const isVideoName = (name: string) => /\.(mp4|mov|m4v|3gp|avi|mkv|wmv|flv|ts)$/i.test(name);

/** Index of the first run of components equal to names (given lower-case), or -1. */
function find(low: string[], ...names: string[]): number {
  outer: for (let i = 0; i + names.length <= low.length; i++) {
    for (let j = 0; j < names.length; j++) if (low[i + j] !== names[j]) continue outer;
    return i;
  }
  return -1;
}

const monthOf = (s: string | undefined) => (s && MONTH.test(s) ? s : undefined);
/** The first YYYY-MM folder among parts, where a layout keeps its month somewhere below a landmark. */
const firstMonth = (parts: string[]) => parts.find((p) => MONTH.test(p));
const QQNT_PIC_KINDS = new Set(['ori', 'thumb', 'oritemp', 'thumbtemp']);
const HEX2 = /^[0-9a-f]{2}$/i;

// Each detector gets a folder's components (parts) and the same lower-cased (low), without the
// file's name: a file at …/a/b/name has parts […, 'a', 'b'].

/**
 * QQNT: …/<QQ>/nt_qq/nt_data/Pic/YYYY-MM/{Ori,Thumb,OriTemp,ThumbTemp}/<md5>[_0|_720].<ext>,
 * …/nt_data/Emoji/…, and the video and file areas …/nt_data/{Video,File}/…/{Ori,Thumb}/ (a video's
 * thumbnail, a picture sent as a file). On Windows the account is the QQ number above `nt_qq`;
 * on macOS and Linux QQNT keeps each account in a folder `nt_qq_<hash>` of its own.
 */
function qqnt(parts: string[], low: string[]): FolderLayout | null {
  const nt = find(low, 'nt_data');
  const account = nt < 1 ? undefined : low[nt - 1] === 'nt_qq' ? parts[nt - 2] : low[nt - 1].startsWith('nt_qq_') ? parts[nt - 1] : undefined;
  if (nt >= 0 && low[nt + 1] === 'emoji') {
    return { source: 'qqnt', kind: 'sticker', account, folderMonth: parts.slice(nt + 2).map(monthOf).find(Boolean) };
  }
  if (nt >= 0 && (low[nt + 1] === 'video' || low[nt + 1] === 'file')) {
    const sub = low.slice(nt + 2).reverse().find((p) => p === 'ori' || p === 'thumb');
    if (!sub) return null;
    return { source: 'qqnt', kind: sub === 'thumb' ? 'thumb' : 'original', account, folderMonth: firstMonth(parts.slice(nt + 2)), videos: true };
  }
  // A Pic folder copied out of its account is still recognised by its month and kind folders.
  const pic = parts.length - 3;
  if (pic < 0 || low[pic] !== 'pic' || !MONTH.test(parts[pic + 1]) || !QQNT_PIC_KINDS.has(low[pic + 2])) return null;
  return { source: 'qqnt', kind: low[pic + 2].startsWith('thumb') ? 'thumb' : 'original', account, folderMonth: parts[pic + 1] };
}

/**
 * WeChat 4.x, under …/xwechat_files/<wxid>_<4hex>/:
 * - msg/attach/<md5>/YYYY-MM/Img/<md5>[_t|_h].dat (chat pictures; `_t` thumbnails);
 * - msg/video/YYYY-MM/*_thumb.jpg (the videos' thumbnails; the videos are not pictures);
 * - cache/YYYY-MM/Message/<md5>/Thumb/… (chat thumbnails), cache/YYYY-MM/Sns/Img/<2hex>/<md5> (Moments);
 * - business/emoticon/{Temp,Thumb}/… (stickers; no month: file times).
 */
function wechat4(parts: string[], low: string[]): FolderLayout | null {
  const at = find(low, 'msg', 'attach');
  if (at >= 0 && parts.length - at === 5 && low[at + 4] === 'img' && MONTH.test(parts[at + 3])) {
    return {
      source: 'wechat4',
      kind: (name) => (name.endsWith('_t.dat') ? 'thumb' : 'original'),
      account: parts[at - 1],
      chat: parts[at + 2],
      folderMonth: parts[at + 3],
    };
  }
  const video = find(low, 'msg', 'video');
  if (video >= 1 && parts.length - video === 3 && MONTH.test(parts[video + 2])) {
    return { source: 'wechat4', kind: 'thumb', account: parts[video - 1], folderMonth: parts[video + 2], videos: true };
  }
  const cache = low.lastIndexOf('cache');
  if (cache >= 1 && MONTH.test(parts[cache + 1] ?? '')) {
    const account = parts[cache - 1];
    if (low[cache + 2] === 'message' && MD5.test(parts[cache + 3] ?? '') && low[cache + 4] === 'thumb') {
      return { source: 'wechat4', kind: 'thumb', account, chat: parts[cache + 3], folderMonth: parts[cache + 1] };
    }
    if (low[cache + 2] === 'sns' && low[cache + 3] === 'img' && parts.length - cache === 5 && HEX2.test(parts[cache + 4])) {
      return { source: 'wechat4', kind: 'original', account, folderMonth: parts[cache + 1] };
    }
  }
  const emoticon = find(low, 'business', 'emoticon');
  if (emoticon >= 1 && (low[emoticon + 2] === 'temp' || low[emoticon + 2] === 'thumb')) {
    return { source: 'wechat4', kind: 'sticker', account: parts[emoticon - 1] };
  }
  return null;
}

/**
 * WeChat 3.x, under …/<wxid>/FileStorage/: Image/YYYY-MM/*.dat, MsgAttach/<md5>/{Image,Thumb}/YYYY-MM/*.dat,
 * CustomEmotion/…; and the picture caches Cache/YYYY-MM/… (thumbnails), Sns/Cache/YYYY-MM/…
 * (Moments), Fav/…/YYYY-MM/… (favourites), Temp/… (no month: file times), Video/YYYY-MM/*.jpg
 * (the videos' thumbnails).
 */
function wechat3(parts: string[], low: string[]): FolderLayout | null {
  const fs = find(low, 'filestorage');
  if (fs < 0) return null;
  const account = parts[fs - 1];
  const area = low[fs + 1];
  const below = parts.slice(fs + 2);
  if (area === 'image' && monthOf(parts[fs + 2]) && parts.length - fs === 3) {
    return { source: 'wechat', kind: 'original', account, folderMonth: parts[fs + 2] };
  }
  if (area === 'msgattach' && parts.length - fs === 5 && MONTH.test(parts[fs + 4])) {
    const sub = low[fs + 3];
    if (sub !== 'image' && sub !== 'thumb') return null;
    return { source: 'wechat', kind: sub === 'thumb' ? 'thumb' : 'original', account, chat: parts[fs + 2], folderMonth: parts[fs + 4] };
  }
  if (area === 'customemotion') return { source: 'wechat', kind: 'sticker', account };
  if (area === 'cache' && MONTH.test(below[0] ?? '')) return { source: 'wechat', kind: 'thumb', account, folderMonth: below[0] };
  if (area === 'sns' && low[fs + 2] === 'cache' && MONTH.test(parts[fs + 3] ?? '')) return { source: 'wechat', kind: 'original', account, folderMonth: parts[fs + 3] };
  if (area === 'fav' && firstMonth(below)) return { source: 'wechat', kind: 'original', account, folderMonth: firstMonth(below) };
  if (area === 'temp') return { source: 'wechat', kind: 'original', account };
  if (area === 'video' && MONTH.test(below[0] ?? '') && below.length === 1) return { source: 'wechat', kind: 'thumb', account, folderMonth: below[0], videos: true };
  return null;
}

/**
 * macOS WeChat 3.x: …/com.tencent.xinWeChat/<version>/<32hex>/Message/MessageTemp/<hash>/Image/…,
 * one folder per chat; no month (file times); `_thumb` names are thumbnails.
 */
function wechatMac(parts: string[], low: string[]): FolderLayout | null {
  const temp = find(low, 'message', 'messagetemp');
  if (temp < 1 || !MD5.test(parts[temp - 1]) || low[temp + 3] !== 'image') return null;
  return { source: 'wechat', kind: (name) => (name.includes('_thumb') ? 'thumb' : 'original'), account: parts[temp - 1], chat: parts[temp + 2] };
}

/**
 * Android WeChat: …/MicroMsg/<32hex>/image2/<2>/<2>/[th_]<md5>[hd], no extension; the account's
 * stickers in …/<32hex>/emoji/… and Moments pictures in …/<32hex>/sns/…. No month: file times.
 */
function android(parts: string[], low: string[]): FolderLayout | null {
  const i = find(low, 'image2');
  if (i >= 1 && parts.length - i === 3 && MD5.test(parts[i - 1])) {
    return { source: 'android', kind: (name) => (name.startsWith('th_') ? 'thumb' : 'original'), account: parts[i - 1] };
  }
  const mm = find(low, 'micromsg');
  const area = low[mm + 2];
  if (mm < 0 || !MD5.test(parts[mm + 1] ?? '') || (area !== 'emoji' && area !== 'sns')) return null;
  return { source: 'android', kind: area === 'emoji' ? 'sticker' : 'original', account: parts[mm + 1] };
}

/** Mobile QQ (Android): …/Tencent/MobileQQ/chatpic/{chatimg,chatthumb,chatraw}/…, shared by its accounts; file times. */
function mobileQQ(_parts: string[], low: string[]): FolderLayout | null {
  const i = find(low, 'mobileqq', 'chatpic');
  const area = low[i + 2];
  if (i < 0 || (area !== 'chatimg' && area !== 'chatthumb' && area !== 'chatraw')) return null;
  return { source: 'qq', kind: area === 'chatthumb' ? 'thumb' : 'original' };
}

const QQ_IMAGE_AREAS = new Set(['group2', 'group', 'c2c']);

/** QQ classic: …/<QQ>/Image/Group2/<c1c2>/<c3c4>/<name>.<ext>, …/Image/C2C/<32hex>.<ext>, Image/Group/… */
function qq(parts: string[], low: string[]): FolderLayout | null {
  const i = low.findIndex((p, k) => p === 'image' && QQ_IMAGE_AREAS.has(low[k + 1]));
  if (i < 0) return null;
  const thumb = low.slice(i + 1).some((p) => p.includes('thumb'));
  return { source: 'qq', kind: thumb ? 'thumb' : 'original', account: parts[i - 1] };
}

const DETECTORS = [qqnt, wechat4, wechat3, wechatMac, android, mobileQQ, qq];

const splitPath = (p: string) => p.split(/[\\/]+/).filter(Boolean);

/**
 * A folder every layout needs in a file's path, with more path after it (`nt_data`, `Pic`, `msg`,
 * `cache`, `emoticon`, `FileStorage`, `MessageTemp`, `image2`, `MicroMsg`, `chatpic`, `Image`;
 * see each detector: a new detector adds its own here). A path with none of them is a
 * plain folder, known without taking the path apart: a phone export's 17 000 folders cost the walk
 * 60-80 ms of detectors otherwise (docs/performance.md, thirteenth round).
 */
const LANDMARK = /(?:^|[\\/])(?:nt_data|pic|msg|cache|emoticon|filestorage|messagetemp|image2?|micromsg|chatpic)[\\/]/i;

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
  if (!layout) return null;
  const { videos: _videos, ...rest } = layout;
  return { ...rest, kind: kindIn(layout, name) };
}
