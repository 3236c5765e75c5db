import { usageError } from '../errors.js';
import type { GroupBy } from '../core/scan.js';
import type { ImageKind, SourceKind } from '../sources/types.js';

/**
 * One vocabulary for the words picvault prints and the words its flags take: each value a flag
 * accepts, with the other words output shows for it (English and Chinese, the apps' own names),
 * so that what a table or a message says can be typed back. Compared ignoring case, spaces,
 * dashes and underscores: `QQNT`, `WeChat 4`, `wechat-4` are all words the user has seen.
 */
export type Vocabulary<T extends string> = Record<T, readonly string[]>;

export const SOURCE_WORDS: Vocabulary<SourceKind> = {
  qq: ['qq'],
  qqnt: ['qqnt', 'ntqq'],
  wechat: ['wechat', 'wechat3', '微信', '微信3', 'weixin'],
  wechat4: ['wechat4', '微信4', 'xwechat'],
  android: ['android', '安卓'],
  folder: ['folder', 'folders', '文件夹'],
};

export const KIND_WORDS: Vocabulary<ImageKind> = {
  original: ['original', 'originals', 'ori', '原图'],
  thumb: ['thumb', 'thumbs', 'thumbnail', 'thumbnails', '缩略图'],
  sticker: ['sticker', 'stickers', 'emoji', '表情'],
};

/** `scan --by`: "source" is the word (the --source flag's, SPEC's, and --json's `by`); "layout" was printed once. */
export const GROUP_WORDS: Vocabulary<GroupBy> = {
  source: ['source', 'sources', 'layout', '来源', '类型'],
  chat: ['chat', 'chats', '聊天'],
  kind: ['kind', 'kinds', '种类'],
};

const fold = (word: string) => word.toLowerCase().replace(/[\s_-]+/g, '');

/** The value a word stands for, or a usage error listing the values (and, for each, what else it may be called). */
export function parseWord<T extends string>(flag: string, value: string, words: Vocabulary<T>): T {
  const folded = fold(value);
  for (const [canonical, names] of Object.entries(words) as [T, readonly string[]][]) {
    if (names.some((n) => fold(n) === folded)) return canonical;
  }
  throw usageError('choice.bad', { flag, value, choices: Object.keys(words).join('|') });
}
