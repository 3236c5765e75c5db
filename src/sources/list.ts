import { classify } from './layouts.js';
import type { FoundFile } from './types.js';
import { walkFiles, type WalkOptions } from './walk.js';

/**
 * Every file under a source root with what its path says: the QQ or WeChat layout it belongs to,
 * or a plain folder. Classifying each file (not the root) means a root may be a whole
 * `Tencent Files`, one account, a single `Pic` folder, or a folder mixing several.
 */
export function* listFiles(root: string, options: WalkOptions): Generator<FoundFile> {
  for (const f of walkFiles(root, options)) {
    const c = classify(f.path);
    yield { ...f, root, ...(c ?? { source: 'folder', kind: 'original' }) };
  }
}
