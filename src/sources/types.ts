import type { WalkOptions } from './walk.js';

/** What a cache layout detector yields: one file it recognises, before its bytes are read. */
export type SourceKind = 'qq' | 'qqnt' | 'wechat' | 'wechat4' | 'android' | 'folder';
export const SOURCE_KINDS: readonly SourceKind[] = ['qq', 'qqnt', 'wechat', 'wechat4', 'android', 'folder'];

export type ImageKind = 'original' | 'thumb' | 'sticker';

export interface FoundFile {
  /** Absolute path, in this platform's flavour. */
  path: string;
  /** The source root the file was found under (what the user named, or what discovery found). */
  root: string;
  source: SourceKind;
  kind: ImageKind;
  size: number;
  mtimeMs: number;
  /** 0 where the file system does not know. */
  birthtimeMs: number;
  /** YYYY-MM from the folder name, for layouts that keep one (WeChat, QQNT). */
  folderMonth?: string;
}

/** A layout detector: walks one root and yields the files it owns. */
export interface SourceLayout {
  kind: SourceKind;
  /** Files under root that belong to this layout; protected paths are never yielded. */
  list(root: string, options: WalkOptions): AsyncIterable<FoundFile>;
}
