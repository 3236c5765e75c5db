import { html } from 'hono/html';
import type { DuplicateGroup } from '../../core/duplicates.js';
import { bytes, count, layout, when, type Html, type View } from './layout.js';

export const GROUPS_PER_PAGE = 30;

/** Duplicate groups, the copy that stays first, the most space to win first. */
export function duplicatesPage(v: View, d: { total: number; groups: DuplicateGroup[] }, offset: number): Html {
  const { t } = v;
  const pager = html`<nav class="pager">
  ${offset > 0 ? html`<a href="?offset=${Math.max(0, offset - GROUPS_PER_PAGE)}" rel="prev">← ${t('web.prev')}</a>` : html`<span></span>`}
  <span>${t('web.range', { first: d.total === 0 ? 0 : offset + 1, last: offset + d.groups.length, total: count(v, d.total) })}</span>
  ${offset + d.groups.length < d.total ? html`<a href="?offset=${offset + GROUPS_PER_PAGE}" rel="next">${t('web.next')} →</a>` : html`<span></span>`}
</nav>`;
  const group = (g: DuplicateGroup) => {
    const [kept] = g.members;
    return html`<article class="group">
  <a href="/picture/${kept.hash}"><img src="/thumb/${kept.hash}" loading="lazy" alt="${kept.hash}" width="250" height="250"></a>
  <div>
    <h3><span class="tag">${t(`web.tier.${g.tier}`)}</span> ${t('web.dup.copies', { count: g.members.length })} · ${t('web.dup.redundant', { size: bytes(g.redundantBytes) })}</h3>
    <ul>${g.members.map((m, i) => html`<li class="${i === 0 ? 'kept' : ''}">
      ${i === 0 ? html`<b>${t('web.dup.keep')}</b> <small>(${t(`web.dup.why.${g.keptBecause}`)})</small>` : ''}
      <span>${when(m.taken)}</span> · <span>${m.device}</span> · <span>${t(`kind.${m.kind}`)}</span> · <span class="state ${m.state}">${t(`state.${m.state}`)}</span>
      <div class="path">${m.path}</div></li>`)}</ul>
  </div>
</article>`;
  };
  return layout(v, 'duplicates', t('web.nav.duplicates'), html`<h1>${t('web.nav.duplicates')}</h1>
<p class="note">${t('web.dup.about')}</p>
${d.total === 0 ? html`<p class="empty">${t('web.dup.none')}</p>` : html`${pager}${d.groups.map(group)}${pager}`}`);
}
