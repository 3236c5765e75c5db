import { folderLayout, isVideoName, kindIn, type FolderLayout } from './layouts.js';
import type { EveryField, FoundFile } from './types.js';
import { walkFiles, type WalkOptions } from './walk.js';

/**
 * Every file under a source root with what its path says: the QQ or WeChat layout it belongs to,
 * or a plain folder. Classifying each file (not the root) means a root may be a whole
 * `Tencent Files`, one account, a single `Pic` folder, or a folder mixing several.
 */
export function* listFiles(root: string, options: WalkOptions): Generator<FoundFile> {
  // The walk gives a folder's files one after another: its layout is worked out once for them all.
  let dir: string | undefined;
  let layout: FolderLayout | null = null;
  for (const f of walkFiles(root, options)) {
    if (f.dir !== dir) {
      dir = f.dir;
      layout = folderLayout(dir);
    }
    // Where an app keeps videos beside their thumbnails, the videos are not pictures: not listed at all.
    if (layout?.videos && isVideoName(f.name)) continue;
    // Every file gets the same fields in the same order (absent ones undefined): one object
    // shape for V8 all the way down the pipeline, where spreads made several.
    yield {
      path: f.path,
      root,
      source: layout?.source ?? 'folder',
      kind: layout ? kindIn(layout, f.name) : 'original',
      account: layout?.account,
      chat: layout?.chat,
      size: f.size,
      mtimeMs: f.mtimeMs,
      birthtimeMs: f.birthtimeMs,
      folderMonth: layout?.folderMonth,
    } satisfies EveryField<FoundFile>;
  }
}
