/** What the walk yields: one file of a cache, before its bytes are read. */
export type SourceKind = 'qq' | 'qqnt' | 'wechat' | 'wechat4' | 'android' | 'folder';
export const SOURCE_KINDS: readonly SourceKind[] = ['qq', 'qqnt', 'wechat', 'wechat4', 'android', 'folder'];

export type ImageKind = 'original' | 'thumb' | 'sticker';
export const IMAGE_KINDS: readonly ImageKind[] = ['original', 'thumb', 'sticker'];

/**
 * T with every field required to be written, optional ones too (as undefined): an object built
 * field by field (for one V8 shape, instead of a spread) then fails to compile when T gains a field.
 */
export type EveryField<T> = { [K in keyof Required<T>]: T[K] };

export interface FoundFile {
  /** Absolute path, in this platform's flavour. */
  path: string;
  /** The source root the file was found under (what the user named, or what discovery found). */
  root: string;
  source: SourceKind;
  kind: ImageKind;
  /** QQ number, wxid or Android account folder, where the layout says. */
  account?: string;
  /** The chat folder (an md5) where the layout has one. */
  chat?: string;
  size: number;
  mtimeMs: number;
  /** 0 where the file system does not know. */
  birthtimeMs: number;
  /** YYYY-MM from the folder name, for layouts that keep one (WeChat, QQNT). */
  folderMonth?: string;
}
