export type Lang = 'en' | 'zh';

/**
 * A table of sentences, each in both languages. `{name}` is filled from the parameters;
 * `{name|one|other}` chooses by the number `name` (English plurals: `{count|# file|# files}`,
 * where `#` is the number). Chinese needs no plural form and writes `{count} 个文件`.
 */
export type Messages = Record<string, { en: string; zh: string }>;
