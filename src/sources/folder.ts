import type { FoundFile, SourceLayout } from './types.js';
import { walkFiles } from './walk.js';

/** Any folder of images: every file is a candidate; its type and date come later from its bytes. */
export const folderLayout: SourceLayout = {
  kind: 'folder',
  async *list(root, options): AsyncIterable<FoundFile> {
    for await (const f of walkFiles(root, options)) {
      yield { ...f, root, source: 'folder', kind: 'original' };
    }
  },
};
