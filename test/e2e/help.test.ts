import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { hasMessage, translator } from '../../src/i18n/index.js';
import { picvault } from '../helpers/cli.js';

const ZH = { LANG: 'zh_CN.UTF-8' };
const GLOBALS = ['--json', '--quiet', '--no-progress', '--lang <lang>'];

test('picvault with no command, and catalog with no subcommand, print help on stdout and exit 0', async () => {
  const top = await picvault([]);
  assert.deepEqual([top.code, top.stderr], [0, '']);
  assert.match(top.stdout, /^Usage: picvault \[options\] \[command\]/);
  for (const flag of GLOBALS) assert.ok(top.stdout.includes(`  ${flag} `), `${flag} in:\n${top.stdout}`);
  assert.match(top.stdout.replace(/\s+/g, ' '), / catalog browse the catalogue: months, list, show, devices, log /);

  const catalog = await picvault(['catalog']);
  assert.deepEqual([catalog.code, catalog.stderr], [0, '']);
  assert.match(catalog.stdout, /^Usage: picvault catalog/);
  for (const sub of ['months', 'list', 'show', 'log', 'devices']) assert.match(catalog.stdout, new RegExp(`^  ${sub} `, 'm'));
  assert.match(catalog.stdout, /^Global options \(every command\):/m);

  const zh = await picvault(['catalog'], { env: ZH });
  assert.equal(zh.code, 0);
  assert.match(zh.stdout, /^用法：/);
});

test('help follows --lang and LANG: headings, descriptions, option texts and commander\'s own words', async () => {
  for (const run of [() => picvault(['archive', '--help', '--lang', 'zh']), () => picvault(['archive', '--help'], { env: ZH }), () => picvault(['help', 'archive'], { env: ZH })]) {
    const r = await run();
    assert.equal(r.code, 0, r.stderr);
    for (const word of ['用法：', '参数：', '选项：', '全局选项', '显示命令的帮助', '把图片按日期', '仓库文件夹（不存在则创建', '（默认：2GiB）', '（可选：zh, en）']) {
      assert.ok(r.stdout.includes(word), `${word} in:\n${r.stdout}`);
    }
    for (const english of ['Usage:', 'Options:', 'Arguments:', 'display help', 'the vault folder', 'default:']) assert.ok(!r.stdout.includes(english), `${english} in:\n${r.stdout}`);
  }
  const en = await picvault(['archive', '--help']);
  assert.match(en.stdout, /^Usage: picvault archive \[options\] \[source\.\.\.\]/);
  assert.match(en.stdout, /--max-archive-size <size>.*\(default: 2GiB\)/s);
});

/** Every command, with the program and its subcommands. */
const commands = (cmd: Command): Command[] => [cmd, ...cmd.commands.flatMap(commands)];

test('every help text of every command is a help key with both languages (src/i18n/messages/help.ts)', () => {
  const program = buildProgram({ lang: 'zh', t: translator('zh'), env: {}, out: () => undefined, err: () => undefined, drain: async () => undefined, exit: () => undefined });
  const texts: [string, string][] = [];
  for (const cmd of commands(program)) {
    const name = cmd.name();
    texts.push([`${name} description`, cmd.description()]);
    for (const o of cmd.options) if (!o.hidden) texts.push([`${name} ${o.flags}`, o.description]);
    for (const a of cmd.registeredArguments) texts.push([`${name} <${a.name()}>`, a.description]);
  }
  const helpOption = program.createHelp().visibleOptions(program).find((o) => o.long === '--help');
  texts.push(['--help', helpOption!.description]);
  const bad = texts.filter(([, text]) => !text.startsWith('help.') || !hasMessage(text));
  assert.deepEqual(bad, [], 'each of these should be a key of src/i18n/messages/help.ts');
  assert.ok(texts.length > 60);
});

test('a parser error is said once, wholly in the user\'s language, exit 2', async () => {
  const cases: [string[], RegExp, RegExp][] = [
    [['scan', '--bogus'], /^picvault: unknown option --bogus; see picvault scan --help$/, /^picvault: 未知选项 --bogus；请参阅 picvault scan --help$/],
    [['frobnicate'], /^picvault: unknown command frobnicate; see picvault --help$/, /^picvault: 未知命令 frobnicate；请参阅 picvault --help$/],
    [['archive', '--to'], /^picvault: --to needs a value; see picvault archive --help$/, /^picvault: --to 需要一个值；请参阅 picvault archive --help$/],
    [['catalog', 'show'], /^picvault: HASH is missing; see picvault catalog show --help$/, /^picvault: 缺少 HASH；请参阅 picvault catalog show --help$/],
    [['restore', 'extra'], /^picvault: too many arguments \(1 given, 0 expected\); see picvault restore --help$/, /^picvault: 参数过多（给了 1 个，需要 0 个）；请参阅 picvault restore --help$/],
    [['scan', '--lang', 'fr'], /^picvault: --lang must be one of zh\|en: fr$/, /^picvault: --lang 只能是 zh\|en 之一：fr$/],
  ];
  for (const [args, en, zh] of cases) {
    const r = await picvault(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '');
    assert.match(r.stderr.trimEnd(), en);
    const z = await picvault(args, { env: ZH });
    assert.equal(z.code, 2);
    assert.match(z.stderr.trimEnd(), zh);
    assert.doesNotMatch(z.stderr, /unknown|missing|argument|error/i, z.stderr);
  }
});
