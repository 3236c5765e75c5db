/**
 * Every sentence picvault says, in English and Chinese: one source for the CLI and the web page.
 * Each area of the program keeps its sentences in a file of messages/; keys are what the core
 * throws and the commands and pages print.
 */
import { archive } from './messages/archive.js';
import { catalog } from './messages/catalog.js';
import { clean } from './messages/clean.js';
import { common } from './messages/common.js';
import { dedupe } from './messages/dedupe.js';
import { demo } from './messages/demo.js';
import { errors } from './messages/errors.js';
import { help } from './messages/help.js';
import { repair } from './messages/repair.js';
import { restore } from './messages/restore.js';
import { scan } from './messages/scan.js';
import { verify } from './messages/verify.js';
import { web } from './messages/web.js';
import type { Lang, Messages } from './types.js';

export type { Lang, Messages } from './types.js';

const TABLES: Messages[] = [errors, common, help, scan, archive, clean, restore, verify, repair, catalog, demo, dedupe, web];

const MESSAGES: Messages = {};
for (const table of TABLES) {
  for (const [key, text] of Object.entries(table)) {
    // Two areas claiming one key would make one of them say the other's sentence.
    if (key in MESSAGES) throw new Error(`message key defined twice: ${key}`);
    MESSAGES[key] = text;
  }
}

export function detectLang(argv: readonly string[], env: NodeJS.ProcessEnv): Lang {
  const i = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const flag = i < 0 ? undefined : argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
  if (flag === 'zh' || flag === 'en') return flag;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(locale) ? 'zh' : 'en';
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** `{name}`, or `{name|one|other}` (see Messages). */
const PLACEHOLDER = /\{(\w+)(?:\|([^|{}]*)\|([^|{}]*))?\}/g;

export function translator(lang: Lang): Translate {
  return (key, params = {}) => {
    const text = MESSAGES[key]?.[lang] ?? key;
    return text.replace(PLACEHOLDER, (m, name: string, one?: string, other?: string) => {
      if (!(name in params)) return m;
      const value = params[name];
      if (name === 'errno') return errnoInWords(lang, String(value));
      if (one === undefined) return String(value);
      return (Number(value) === 1 ? one : other!).replace(/#/g, String(value));
    });
  };
}

/**
 * A system error's code, as every message says it (the `{errno}` placeholder): in words, with the
 * code in brackets for support, "the disk is full (ENOSPC)". A code without words (or a message
 * where no code was known) is said as it is.
 */
function errnoInWords(lang: Lang, code: string): string {
  const words = MESSAGES[`io.${code}`]?.[lang];
  if (!words) return code;
  return lang === 'zh' ? `${words}（${code}）` : `${words} (${code})`;
}

/** The names a sentence is filled from, for checking both languages take the same ones. */
export const placeholderNames = (text: string): string[] => [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort();

/** Every key has both languages (checked by a test). */
export const messageKeys = () => Object.keys(MESSAGES);
export const hasMessage = (key: string) => key in MESSAGES;
