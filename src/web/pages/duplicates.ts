import { html } from 'hono/html';
import type { CopyView, DuplicatesPage, GroupView } from '../../core/dedupe/vault-duplicates.js';
import type { KeepMark, NotDuplicateMark } from '../../core/dedupe/marks.js';
import { TIERS } from '../../core/dedupe/groups.js';
import { bytes, count, layout, typeName, when, type Html, type View } from './layout.js';

export const GROUPS_PER_PAGE = 30;

/** What the page may do besides showing: set and take back marks, unless the vault can only be read. */
export interface DuplicatesContext {
  vault: string;
  readOnly: boolean;
  marks: { notDuplicates: NotDuplicateMark[]; kept: KeepMark[] };
}

/** A mark's button: a small form posting to the page, back to where it was. */
function markForm(v: View, action: string, fields: Record<string, string | number>, label: string, style = ''): Html {
  return html`<form method="post" action="${action}" class="mark ${style}">
  <input type="hidden" name="_csrf" value="${v.csrf}"><input type="hidden" name="back" value="${v.here}">
  ${Object.entries(fields).map(([k, val]) => html`<input type="hidden" name="${k}" value="${val}">`)}
  <button type="submit">${label}</button>
</form>`;
}

/**
 * The duplicates the vault holds (dedupe's groups, the vault alone), one tier at a time: each group
 * with a thumbnail of every copy, the kept copy first with why, what would be freed; "keep this
 * one" on each place, "not duplicates" on each similar copy; then the marks set so far, each with
 * its undo.
 */
export function duplicatesPage(v: View, d: DuplicatesPage, ctx: DuplicatesContext): Html {
  const { t } = v;
  const r = d.report;
  const tabs = html`<nav class="tabs">${TIERS.map((tier) => html`<a href="/duplicates?tier=${tier}" class="${tier === d.tier ? 'on' : ''}">
    <b>${t(`web.tier.${tier}`)}</b><span>${t('web.dup.groups', { count: r.tiers[tier].groups })}${r.tiers[tier].bytes > 0 ? html` · ${bytes(r.tiers[tier].bytes)}` : ''}</span></a>`)}</nav>`;
  const page = (offset: number) => `?tier=${d.tier}${offset > 0 ? `&offset=${offset}` : ''}`;
  const pager = html`<nav class="pager">
  ${d.offset > 0 ? html`<a href="${page(Math.max(0, d.offset - GROUPS_PER_PAGE))}" rel="prev">← ${t('web.prev')}</a>` : html`<span></span>`}
  <span>${t('web.dup.range', { first: d.total === 0 ? 0 : d.offset + 1, last: d.offset + d.groups.length, total: count(v, d.total) })}</span>
  ${d.offset + d.groups.length < d.total ? html`<a href="${page(d.offset + GROUPS_PER_PAGE)}" rel="next">${t('web.next')} →</a>` : html`<span></span>`}
</nav>`;
  const tierTotals = r.tiers[d.tier];
  const about = html`<p class="note">${t(`web.dup.tier.${d.tier}`, { threshold: r.similar ?? 0 })}
  ${tierTotals.files > 0 ? html`<br>${t('web.dup.tierFreed', { count: tierTotals.files, size: bytes(tierTotals.bytes) })}` : ''}</p>`;
  const body = r.groups.length === 0 && r.looksMissing === 0
    ? html`<p class="empty">${t('web.dup.none')}</p>`
    : html`${tabs}${about}${d.tier === 'similar' ? looksNote(v, r, ctx.vault) : ''}
${d.total === 0 ? html`<p class="empty">${t('web.dup.noneOfTier')}</p>` : html`${pager}${d.groups.map((g) => group(v, g, ctx.readOnly))}${pager}`}`;
  return layout(v, 'duplicates', t('web.nav.duplicates'), html`<h1>${t('web.nav.duplicates')}</h1>
<p class="note">${t('web.dup.about')}</p>
${ctx.readOnly ? html`<p class="note warn">${t('web.dup.readOnly')}</p>` : ''}
${body}
${marksList(v, ctx)}`);
}

/**
 * Similar pictures need looks; the page computes none and says how: in a box when none is known
 * yet, quietly when a few are missing (a picture sharp cannot decode never has any).
 */
function looksNote(v: View, r: DuplicatesPage['report'], vault: string): Html {
  if (r.looksMissing === 0) return html``;
  const { t } = v;
  const none = r.looksKnown === 0;
  return html`<div class="note looks ${none ? 'warn' : ''}">${none ? t('web.dup.looksNone') : t('web.dup.looksSome', { count: r.looksMissing })}
  <code>picvault dedupe --vault "${vault}" --similar</code><small>${t('web.dup.looksWhere')}</small></div>`;
}

function group(v: View, g: GroupView, readOnly: boolean): Html {
  const { t } = v;
  const places = g.members.reduce((n, m) => n + (m.places ?? 1), 0);
  return html`<article class="group">
  <h3><span class="tag tier-${g.tier}">${t(`web.tier.${g.tier}`)}</span> ${[
    ...(g.members.length > 1 ? [t('web.dup.copies', { count: g.members.length })] : []),
    t('web.dup.atPlaces', { count: places }),
    g.bytes > 0 ? t('web.dup.freed', { size: bytes(g.bytes) }) : t('web.dup.nothingFreed'),
  ].join(' · ')}</h3>
  <div class="copies">${g.members.map((m, i) => copy(v, g, m, i === 0, readOnly))}</div>
</article>`;
}

/** One copy: its thumbnail, how it matches the kept one, its facts, its places. */
function copy(v: View, g: GroupView, m: CopyView, kept: boolean, readOnly: boolean): Html {
  const { t } = v;
  const badge = kept
    ? html`<span class="badge keep">${t('web.dup.keep')}</span> <small>${t(`dedupe.why.${g.why}`)}</small>`
    : html`<span class="badge">${t(`dedupe.match.${m.match}`, { distance: m.distance ?? '?' })}</span>`;
  const pixels = m.width && m.height ? ` · ${m.width} × ${m.height}` : '';
  const keptPicture = g.members[0].picture;
  return html`<section class="copy ${kept ? 'kept' : ''}">
  <a class="thumb" href="/picture/${m.picture}"><img src="/thumb/${m.picture}" loading="lazy" decoding="async" alt="${typeName(m.type, null)}" width="250" height="250"></a>
  <div class="about">
    <p>${badge}</p>
    <p class="facts">${typeName(m.type, null)} · ${bytes(m.pictureSize)}${pixels}</p>
    <p>${t('web.dup.onDevice', { count: m.places ?? 1, device: m.device ?? '' })}</p>
    <ul class="places">${m.shown.map((p, i) => html`<li class="${kept && i === 0 ? 'kept' : ''}">
      <span>${when(p.taken)} · ${t(`kind.${p.kind}`)}${p.state === 'archived' ? '' : html` · <span class="state ${p.state}">${t(`state.${p.state}`)}</span>`}</span>
      <span class="path">${p.path}</span>
      ${readOnly || (kept && i === 0) ? '' : markForm(v, '/duplicates/keep', { picture: m.picture, place: p.id }, t('web.dup.keepThis'), 'quiet')}</li>`)}
      ${m.more > 0 ? html`<li><a href="/picture/${m.picture}">${t('web.dup.more', { count: m.more })}</a></li>` : ''}</ul>
    ${!readOnly && m.match === 'similar' ? markForm(v, '/duplicates/not-duplicates', { a: keptPicture, b: m.picture }, t('web.dup.notDuplicates')) : ''}
  </div>
</section>`;
}

/** The marks set so far, each with its undo. */
function marksList(v: View, ctx: DuplicatesContext): Html {
  const { t } = v;
  const { notDuplicates, kept } = ctx.marks;
  const mini = (picture: string) => html`<a href="/picture/${picture}"><img class="mini" src="/thumb/${picture}" loading="lazy" alt="${picture}" width="64" height="64"></a>`;
  const undo = (action: string, fields: Record<string, string>) => (ctx.readOnly ? '' : markForm(v, action, fields, t('web.dup.marks.undo'), 'quiet'));
  return html`<section class="marks"><h2>${t('web.dup.marks')}</h2>
${notDuplicates.length + kept.length === 0 ? html`<p class="note">${t('web.dup.marks.none')}</p>` : ''}
${notDuplicates.length > 0 ? html`<h3>${t('web.dup.marks.notDuplicates')}</h3><ul class="marked">${notDuplicates.map((m) => html`<li>${mini(m.a)}${mini(m.b)}
  <small>${t('web.dup.marks.on', { device: m.device, at: when(m.createdAt) })}</small>${undo('/duplicates/not-duplicates/undo', { a: m.a, b: m.b })}</li>`)}</ul>` : ''}
${kept.length > 0 ? html`<h3>${t('web.dup.marks.kept')}</h3><ul class="marked">${kept.map((m) => html`<li>${mini(m.picture)}
  <span><b>${m.device}</b> <span class="path">${m.path}</span><br><small>${t('web.dup.marks.on', { device: m.markedOn, at: when(m.createdAt) })}</small></span>
  ${undo('/duplicates/keep/undo', { picture: m.picture, device: m.device, path: m.path })}</li>`)}</ul>` : ''}
</section>`;
}
