import { folderLayout } from './folder.js';
import type { SourceLayout } from './types.js';

/**
 * Which layout owns a source folder. Today every folder is read as a plain folder of images; the
 * QQ and WeChat layouts plug in here by recognising their own folder shapes first.
 */
export function layoutFor(_root: string): SourceLayout {
  return folderLayout;
}
