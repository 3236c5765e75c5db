import { html } from 'hono/html';
import type { MonthPage } from '../../core/browse.js';
import type { MonthFacets } from '../../core/browse.js';
import { count, layout, restoreForm, tile, type Html, type View } from './layout.js';

export const PAGE_SIZE = 120;

/** A month: filters, sorting, a page of thumbnails, and restoring the ones picked. */
export function monthPage(v: View, m: MonthPage): Html {
  const { t } = v;
  const f = m.filter;
  const query = (offset: number) => {
    const q = new URLSearchParams();
    for (const k of ['source', 'chat', 'kind', 'device', 'type'] as const) if (f[k]) q.set(k, f[k]!);
    if (m.sort !== 'date') q.set('sort', m.sort);
    if (offset > 0) q.set('offset', String(offset));
    const s = q.toString();
    return s ? `?${s}` : '';
  };
  const label = (facet: keyof MonthFacets, value: string) =>
    facet === 'source' ? t(`web.source.${value}`) : facet === 'kind' ? t(`kind.${value}`) : facet === 'type' ? value.toUpperCase() : facet === 'chat' ? value.slice(0, 12) : value;
  const select = (facet: keyof MonthFacets, key: string) => html`<label>${t(key)}
    <select name="${facet}"><option value="">${t('web.filter.all')}</option>
    ${m.facets[facet].map(([value, n]) => html`<option value="${value}" ${f[facet] === value ? 'selected' : ''}>${label(facet, value)} (${count(v, n)})</option>`)}
    </select></label>`;
  const sorts = ['date', 'date-desc', 'size-desc', 'size'] as const;
  const filters = html`<form class="filters" method="get" data-autosubmit>
  ${select('source', 'web.col.source')}${m.facets.chat.length > 0 ? select('chat', 'by.chat') : ''}${select('kind', 'by.kind')}${select('device', 'col.device')}${select('type', 'web.col.type')}
  <label>${t('web.sort')}<select name="sort">${sorts.map((s) => html`<option value="${s}" ${m.sort === s ? 'selected' : ''}>${t(`web.sort.${s}`)}</option>`)}</select></label>
  <noscript><button type="submit">${t('web.filter.apply')}</button></noscript>
</form>`;
  const last = Math.min(m.offset + m.pictures.length, m.total);
  const pager = html`<nav class="pager">
  ${m.offset > 0 ? html`<a href="${query(Math.max(0, m.offset - PAGE_SIZE))}" rel="prev">← ${t('web.prev')}</a>` : html`<span></span>`}
  <span>${t('web.range', { first: m.total === 0 ? 0 : m.offset + 1, last, total: count(v, m.total) })}</span>
  ${last < m.total ? html`<a href="${query(m.offset + PAGE_SIZE)}" rel="next">${t('web.next')} →</a>` : html`<span></span>`}
</nav>`;
  // YYYY-MM, as every other month on the page and in the CLI is written, in both languages.
  return layout(v, 'month', f.month, html`<p class="crumbs"><a href="/">← ${t('web.nav.overview')}</a></p><h1>${f.month}</h1>
${filters}
${m.total === 0 ? html`<p class="empty">${t('web.noneHere')}</p>` : html`${pager}<div class="grid" data-pickable>${m.pictures.map((p) => tile(v, p, true))}</div>${pager}`}
<aside class="picked" hidden data-one="${t('web.picked', { count: 1 })}" data-many="${t('web.picked', { count: '#' })}"><span data-picked-count></span>${restoreForm(v, [], f.month, true)}</aside>`);
}
