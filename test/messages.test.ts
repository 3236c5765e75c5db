import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { detectLang, hasMessage, messageKeys, placeholderNames, translator } from '../src/i18n/index.js';

test('every message exists in Chinese and English, with the same placeholders', () => {
  const en = translator('en');
  const zh = translator('zh');
  for (const key of messageKeys()) {
    const e = en(key);
    const z = zh(key);
    assert.ok(e && z, key);
    assert.deepEqual(placeholderNames(z), placeholderNames(e), key);
  }
});

test('every message key the code uses is defined', () => {
  const used = new Set<string>();
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = path.join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else for (const m of readFileSync(p, 'utf8').matchAll(/(?:Error|PicvaultError|t)\(\s*'([a-z][\w.-]+)'/g)) used.add(m[1]);
    }
  };
  walk(path.resolve(import.meta.dirname, '../src'));
  const missing = [...used].filter((k) => k.includes('.') && !hasMessage(k));
  assert.deepEqual(missing, []);
});

test('a plural form follows its number in English; Chinese has none', () => {
  const en = translator('en');
  assert.equal(en('skipped.head', { count: 1 }), '1 file skipped:');
  assert.equal(en('skipped.head', { count: 2 }), '2 files skipped:');
  assert.equal(en('skipped.head', { count: 0 }), '0 files skipped:');
  assert.equal(translator('zh')('skipped.head', { count: 1 }), '跳过 1 个文件：');
});

test('the language comes from --lang, then LC_ALL, LC_MESSAGES, LANG', () => {
  assert.equal(detectLang(['scan', '--lang', 'zh'], {}), 'zh');
  assert.equal(detectLang(['--lang=en'], { LANG: 'zh_CN.UTF-8' }), 'en');
  assert.equal(detectLang([], { LANG: 'zh_CN.UTF-8' }), 'zh');
  assert.equal(detectLang([], { LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' }), 'en');
  assert.equal(detectLang([], {}), 'en');
});

test('English says one of a thing in the singular: no "1 files" in any message', () => {
  const en = translator('en');
  // Every placeholder set to 1, and the nouns picvault counts looked for after it.
  const plural = /\b1 (?:(?:new|distinct|original|partial|emptied|zip|selected|\.dat) )?(files|images|pictures|places|duplicates|archives|runs|folders|originals|copies|months|devices|entries)\b/g;
  const found: string[] = [];
  for (const key of messageKeys()) {
    const text = en(key);
    const ones = Object.fromEntries(placeholderNames(text).map((name) => [name, 1]));
    for (const m of en(key, ones).matchAll(plural)) found.push(`${key}: ${m[0]}`);
  }
  assert.deepEqual(found, []);
});

test('English agrees with a count of 1: no "1 picture … were", no "them" or "their" for one thing', () => {
  const en = translator('en');
  // "1 of them" points back at a list said before; reindex.kept's "them" is three counts together.
  const together = new Set(['reindex.kept']);
  const found: string[] = [];
  for (const key of messageKeys()) {
    const text = en(key);
    if (together.has(key) || !/\{\w+\|/.test(text)) continue;
    const one = en(key, Object.fromEntries(placeholderNames(text).map((name) => [name, 1]))).replace(/\bof them\b/g, '');
    if (/\b(were|them|their|these)\b/.test(one)) found.push(`${key}: ${one}`);
  }
  assert.deepEqual(found, []);
  assert.equal(en('clean.readBack', { count: 1, bytes: '32.0 KB' }), 'before deleting, picvault read back 1 picture (32.0 KB) from the vault and re-hashed it');
  assert.equal(en('repair.from', { count: 1, kind: en('repair.kind.place') }), '  1 picture stored again from files still on this device');
});
