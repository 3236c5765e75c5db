import { html } from 'hono/html';
import type { SearchInput, SearchResult } from '../../core/browse.js';
import { SEARCH_LIMIT } from '../../core/browse.js';
import { bytes, layout, typeName, when, type Html, type View } from './layout.js';

/** Search by hash prefix, path or glob, chat, and dates; the places found, each with its thumbnail. */
export function searchPage(v: View, q: SearchInput, result: SearchResult | null, problem: string | null): Html {
  const { t } = v;
  const form = html`<form class="search" method="get">
  <label>${t('col.hash')}<input name="hash" value="${q.hash ?? ''}" placeholder="3fa2c1" autocomplete="off" spellcheck="false"></label>
  <label>${t('col.path')}<input name="path" value="${q.path ?? ''}" placeholder="${t('web.search.pathHint')}" autocomplete="off" spellcheck="false"></label>
  <label>${t('by.chat')}<input name="chat" value="${q.chat ?? ''}" autocomplete="off" spellcheck="false"></label>
  <label>${t('web.search.since')}<input type="date" name="since" value="${q.since ?? ''}"></label>
  <label>${t('web.search.before')}<input type="date" name="before" value="${q.before ?? ''}"></label>
  <button type="submit">${t('web.nav.search')}</button>
</form>`;
  let body: Html = html``;
  if (problem) body = html`<p class="problem">${problem}</p>`;
  else if (result && result.rows.length === 0) body = html`<p class="empty">${t('web.search.none')}</p>`;
  else if (result) {
    body = html`<p>${result.more ? t('web.search.more', { count: SEARCH_LIMIT }) : t('web.search.found', { count: result.rows.length })}</p>
<table class="list found">
  <thead><tr><th></th><th>${t('col.taken')}</th><th>${t('web.col.type')}</th><th class="n">${t('col.bytes')}</th><th>${t('col.device')}</th><th>${t('col.path')}</th></tr></thead>
  <tbody>${result.rows.map((r) => html`<tr><td><a href="/picture/${r.hash}"><img class="mini" src="/thumb/${r.hash}" loading="lazy" alt="${r.hash}" width="64" height="64"></a></td>
    <td>${when(r.taken)}</td><td>${typeName(r.ext, r.decodedExt)}</td><td class="n">${bytes(r.size)}</td><td>${r.device}</td><td class="path"><a href="/picture/${r.hash}">${r.path}</a></td></tr>`)}</tbody>
</table>`;
  }
  return layout(v, 'search', t('web.nav.search'), html`<h1>${t('web.nav.search')}</h1>${form}${body}`);
}
