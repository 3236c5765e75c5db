import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

/**
 * The user docs are kept in English (docs/x.md) and Chinese (docs/zh-CN/x.md). These tests fail when the
 * two drift apart: a Chinese doc missing, a heading added or removed on one side, a code block changed on
 * one side, or a relative link (in either README or any doc) that points at nothing, or at a file
 * that package.json's "files" leaves out of the package (the link would break once installed).
 */

const root = path.resolve(import.meta.dirname, '..');

/** The docs for users; decisions.md, performance.md and bench.md are for developers and stay English. */
export const USER_DOCS = [
  'commands.md',
  'safety.md',
  'exit-codes.md',
  'vault-format.md',
  'json.md',
  'serve.md',
  'dedupe.md',
  'wechat-dat.md',
];

interface Parsed {
  /** Heading levels (1-6) in order, outside code blocks. */
  headings: { level: number; text: string }[];
  /** Each fenced code block, its opening line and body, verbatim. */
  blocks: string[];
  /** The text outside code blocks (for links). */
  prose: string[];
}

/** Splits a Markdown file into headings, fenced code blocks and the prose lines around them. */
export function parseMarkdown(text: string): Parsed {
  const parsed: Parsed = { headings: [], blocks: [], prose: [] };
  let fence: { marker: string; lines: string[] } | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (fence) {
      fence.lines.push(line);
      const close = line.match(/^ {0,3}(`{3,}|~{3,})\s*$/);
      if (close && close[1][0] === fence.marker[0] && close[1].length >= fence.marker.length) {
        parsed.blocks.push(fence.lines.join('\n'));
        fence = null;
      }
      continue;
    }
    const open = line.match(/^ {0,3}(`{3,}|~{3,})/);
    if (open) {
      fence = { marker: open[1], lines: [line] };
      continue;
    }
    parsed.prose.push(line);
    const h = line.match(/^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/);
    if (h) parsed.headings.push({ level: h[1].length, text: h[2] });
  }
  assert.equal(fence, null, 'a code block is never closed');
  return parsed;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Link targets in the prose: inline links and images, and reference definitions (code spans skipped). */
export function linkTargets(prose: string[]): string[] {
  const targets: string[] = [];
  const text = prose.join('\n').replace(/(`+)[\s\S]*?\1/g, '');
  for (const m of text.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*(?:<([^>]*)>|([^)\s]+))(?:\s+"[^"]*")?\s*\)/g)) {
    targets.push(m[1] ?? m[2]);
  }
  for (const m of text.matchAll(/^ {0,3}\[[^\]]+\]:\s*(\S+)/gm)) targets.push(m[1]);
  return targets;
}

function markdownFiles(): string[] {
  const files = ['README.md', 'README.zh-CN.md'];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(root, dir))) {
      const rel = path.posix.join(dir, name);
      if (statSync(path.join(root, rel)).isDirectory()) walk(rel);
      else if (name.endsWith('.md')) files.push(rel);
    }
  };
  walk('docs');
  return files;
}

const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');

/** A link's target, split into the repository path it names (`rel`, '' for none) and its anchor. */
function resolveLink(file: string, target: string): { rel: string; anchor: string | undefined } | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return null; // http:, https:, mailto:
  const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
  const rel = pathPart === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(pathPart)));
  return { rel, anchor };
}

/**
 * What npm packs, judged from package.json's "files" with simple rules: an entry ships itself and
 * everything under it; `*` is any run of characters but `/`, `**` any run at all, `?` one
 * character. package.json, README* and LICENSE* at the top are always packed. Negated entries
 * (`!…`) are not supported and fail the test rather than be misread.
 */
export function shippedBy(files: readonly string[]): (rel: string) => boolean {
  const patterns = files.map((entry) => {
    assert.ok(!entry.startsWith('!'), `package.json "files": negated entry ${entry} is not understood by this test`);
    const clean = entry.replace(/^\.?\//, '').replace(/\/+$/, '');
    const body = clean
      .split(/(\*\*|\*|\?)/)
      .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    return new RegExp(`^${body}(/.*)?$`);
  });
  const always = /^(package\.json|readme[^/]*|licen[cs]e[^/]*)$/i;
  return (rel) => always.test(rel) || patterns.some((p) => p.test(rel));
}

test('every user doc has a Chinese version with the same headings and code blocks', () => {
  for (const doc of USER_DOCS) {
    const en = `docs/${doc}`;
    const zh = `docs/zh-CN/${doc}`;
    assert.ok(existsSync(path.join(root, zh)), `${zh} is missing: translate ${en}`);
    const e = parseMarkdown(read(en));
    const z = parseMarkdown(read(zh));
    for (let level = 1; level <= 6; level++) {
      const ne = e.headings.filter((h) => h.level === level).length;
      const nz = z.headings.filter((h) => h.level === level).length;
      assert.equal(nz, ne, `${zh} has ${nz} level-${level} headings, ${en} has ${ne}`);
    }
    assert.equal(z.blocks.length, e.blocks.length, `${zh} has ${z.blocks.length} code blocks, ${en} has ${e.blocks.length}`);
    e.blocks.forEach((block, i) => {
      assert.equal(z.blocks[i], block, `code block ${i + 1} of ${zh} differs from ${en}'s (code is kept verbatim)`);
    });
  }
});

test('each English user doc links to its Chinese version, and back', () => {
  for (const doc of USER_DOCS) {
    const e = linkTargets(parseMarkdown(read(`docs/${doc}`)).prose);
    const z = linkTargets(parseMarkdown(read(`docs/zh-CN/${doc}`)).prose);
    assert.ok(e.includes(`zh-CN/${doc}`), `docs/${doc} does not link to zh-CN/${doc}`);
    assert.ok(z.includes(`../${doc}`), `docs/zh-CN/${doc} does not link to ../${doc}`);
  }
});

test('every relative link in the READMEs and docs points to an existing file (and heading)', () => {
  const problems: string[] = [];
  const anchors = new Map<string, Set<string>>();
  const anchorsOf = (rel: string) => {
    let set = anchors.get(rel);
    if (!set) {
      set = new Set(parseMarkdown(read(rel)).headings.map((h) => slug(h.text)));
      anchors.set(rel, set);
    }
    return set;
  };
  for (const file of markdownFiles()) {
    for (const target of linkTargets(parseMarkdown(read(file)).prose)) {
      const link = resolveLink(file, target);
      if (!link) continue;
      const { rel, anchor } = link;
      if (rel.startsWith('..') || !existsSync(path.join(root, rel))) {
        problems.push(`${file}: ${target} (no file ${rel})`);
        continue;
      }
      if (anchor !== undefined && rel.endsWith('.md') && !anchorsOf(rel).has(decodeURIComponent(anchor))) {
        problems.push(`${file}: ${target} (no heading #${anchor} in ${rel})`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('shippedBy reads package.json "files" as npm does, for the simple entries used here', () => {
  const shipped = shippedBy(['docs/commands.md', 'docs/zh-CN', 'docs/images/*.png', 'src/**/assets', 'CHANGELOG.md']);
  assert.ok(shipped('docs/commands.md'));
  assert.ok(!shipped('docs/dedupe.md'));
  assert.ok(!shipped('docs/commands.md.bak'));
  assert.ok(shipped('docs/zh-CN/dedupe.md'));
  assert.ok(!shipped('docs/zh-CN-old/dedupe.md'));
  assert.ok(shipped('docs/images/serve-month.png'));
  assert.ok(!shipped('docs/images/raw/serve-month.png'));
  assert.ok(shipped('src/web/assets/page.css'));
  assert.ok(shipped('README.zh-CN.md') && shipped('package.json') && shipped('CHANGELOG.md'));
  assert.ok(!shipped('bench/run.ts'));
});

test('the package ships every user doc, and every file a shipped doc links to', () => {
  const files = (JSON.parse(read('package.json')) as { files?: string[] }).files;
  assert.ok(Array.isArray(files), 'package.json has no "files"');
  const shipped = shippedBy(files);
  const problems: string[] = [];
  for (const doc of USER_DOCS) {
    for (const rel of [`docs/${doc}`, `docs/zh-CN/${doc}`]) if (!shipped(rel)) problems.push(`${rel} is a user doc but not in package.json "files"`);
  }
  for (const file of [...markdownFiles(), 'CHANGELOG.md'].filter(shipped)) {
    for (const target of linkTargets(parseMarkdown(read(file)).prose)) {
      const link = resolveLink(file, target);
      if (link && !shipped(link.rel)) problems.push(`${file}: ${target} (${link.rel} is not in package.json "files": the link breaks once installed)`);
    }
  }
  assert.deepEqual(problems, []);
});
