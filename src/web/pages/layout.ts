import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Lang, Translate } from '../../i18n/index.js';
import { formatBytes } from '../../cli/render/format.js';
import { exampleFolder } from '../params.js';

/** What every page is drawn with: the language, its words, and the request's form token. */
export interface View {
  lang: Lang;
  t: Translate;
  csrf: string;
  /** The page's own path and query, for the language switch to come back to. */
  here: string;
}

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export type Section = 'overview' | 'search' | 'duplicates' | 'runs' | 'month' | 'picture';

/** The frame of every page: the header with its sections, the language switch, the content. */
export function layout(v: View, section: Section, title: string, body: Html): Html {
  const { t } = v;
  const nav = (s: Section, href: string, key: string) =>
    html`<a href="${href}" class="${section === s ? 'on' : ''}">${t(key)}</a>`;
  const other: Lang = v.lang === 'zh' ? 'en' : 'zh';
  return html`<!doctype html>
<html lang="${v.lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf" content="${v.csrf}">
<title>${title} · picvault</title>
<link rel="stylesheet" href="/assets/style.css">
<script src="/assets/app.js" defer></script>
</head>
<body>
<header class="top">
  <a class="brand" href="/">picvault</a>
  <nav>${nav('overview', '/', 'web.nav.overview')}${nav('search', '/search', 'web.nav.search')}${nav('duplicates', '/duplicates', 'web.nav.duplicates')}${nav('runs', '/runs', 'web.nav.runs')}</nav>
  <a class="lang" href="/lang/${other}?back=${encodeURIComponent(v.here)}" hreflang="${other}">${t(`web.lang.${other}`)}</a>
</header>
<main>
${body}
</main>
</body>
</html>`;
}

export const bytes = (n: number) => formatBytes(n);

/** A number with thousands separators, as the user's language writes it. */
export const count = (v: View, n: number) => n.toLocaleString(v.lang === 'zh' ? 'zh-CN' : 'en-US');

/** "2024-05-12 14:03:22" → "2024-05-12 14:03"; an ISO time (runs) likewise, in local time. */
export function when(stamp: string): string {
  if (/T/.test(stamp)) {
    const d = new Date(stamp);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
  }
  return stamp.slice(0, 16);
}

/** The picture's type as people call it: a WeChat .dat shows the type inside. */
export const typeName = (ext: string, decodedExt: string | null) => (ext === 'dat' && decodedExt ? `${decodedExt} (.dat)` : ext).toUpperCase().replace('(.DAT)', '(.dat)');

/** A thumbnail tile linking to the picture's page; the browser loads the image when it scrolls near. */
export function tile(v: View, p: { hash: string; ext: string; decodedExt: string | null; size: number; taken: string }, selectable: boolean): Html {
  return html`<figure class="tile">
  <a href="/picture/${p.hash}"><img src="/thumb/${p.hash}" loading="lazy" decoding="async" alt="${typeName(p.ext, p.decodedExt)} ${p.taken}" width="250" height="250"></a>
  <figcaption><span>${when(p.taken).slice(5)}</span><span>${bytes(p.size)}</span></figcaption>
  ${selectable ? html`<label class="pick" title="${v.t('web.select')}"><input type="checkbox" name="hash" value="${p.hash}"><span></span></label>` : ''}
</figure>`;
}

/** The restore form: to the pictures' own places on this device, or into a folder. JS shows the progress. */
export function restoreForm(v: View, hashes: string[], month: string | null, placesHere: boolean): Html {
  const { t } = v;
  return html`<form class="restore" method="post" action="/restore" data-restore>
  <input type="hidden" name="_csrf" value="${v.csrf}">
  ${month ? html`<input type="hidden" name="month" value="${month}">` : ''}
  ${hashes.map((h) => html`<input type="hidden" name="hash" value="${h}">`)}
  <fieldset>
    <label><input type="radio" name="mode" value="folder" checked> ${t('web.restore.intoFolder')}</label>
    <input type="text" name="folder" placeholder="${t('web.restore.folderHint')}" autocomplete="off" spellcheck="false">
    <small class="example">${t('web.restore.folderExample', { example: exampleFolder() })}</small>
    <label class="${placesHere ? '' : 'off'}"><input type="radio" name="mode" value="places" ${placesHere ? '' : 'disabled'}> ${t('web.restore.toPlaces')}</label>
  </fieldset>
  <button type="submit">${t('web.restore.button')}</button>
  <div class="progress" hidden><progress max="1" value="0"></progress><output></output></div>
</form>`;
}
