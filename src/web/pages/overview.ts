import { html } from 'hono/html';
import type { LoggedRun, Overview } from '../../core/browse.js';
import { bytes, count, layout, when, type Html, type View } from './layout.js';

/** The overview: totals, devices, sources, the year/month table with bars, the last runs. */
export function overviewPage(v: View, o: Overview, device: string): Html {
  const { t } = v;
  const totals = html`<section class="cards">
  <div><b>${count(v, o.totals.images)}</b><span>${t('web.totals.pictures')}</span></div>
  <div><b>${count(v, o.totals.places)}</b><span>${t('web.totals.places')}</span></div>
  <div><b>${bytes(o.totals.imageBytes)}</b><span>${t('web.totals.pictureBytes')}</span></div>
  <div><b>${bytes(o.totals.storedBytes)}</b><span>${t('web.totals.stored', { count: o.totals.archives })}</span></div>
</section>`;
  if (o.totals.places === 0) return layout(v, 'overview', t('web.nav.overview'), html`${totals}<p class="empty">${t('web.empty')}</p>`);

  const devices = html`<section><h2>${t('web.devices')}</h2><table class="list">
  <thead><tr><th>${t('col.device')}</th><th class="n">${t('col.files')}</th><th class="n">${t('col.bytes')}</th><th>${t('web.months')}</th></tr></thead>
  <tbody>${o.devices.map((d) => html`<tr><td>${d.device}</td><td class="n">${count(v, d.files)}</td><td class="n">${bytes(d.bytes)}</td><td>${d.firstMonth} – ${d.lastMonth}</td></tr>`)}</tbody>
</table></section>`;

  const sources = html`<section><h2>${t('web.sources')}</h2><table class="list">
  <thead><tr><th>${t('col.device')}</th><th>${t('web.col.source')}</th><th>${t('web.folder')}</th><th class="n">${t('col.files')}</th><th class="n">${t('col.bytes')}</th><th class="n">${t('state.cleaned')}</th></tr></thead>
  <tbody>${o.sources.map((s) => html`<tr><td>${s.device}</td><td>${t(`web.source.${s.source}`)}</td><td class="path">${s.root}</td><td class="n">${count(v, s.files)}</td><td class="n">${bytes(s.bytes)}</td><td class="n">${count(v, s.cleaned)}</td></tr>`)}</tbody>
</table></section>`;

  return layout(v, 'overview', t('web.nav.overview'), html`${totals}
<section><h2>${t('web.byMonth')}</h2>${monthTable(v, o.months)}</section>
<div class="two">${devices}${sources}</div>
<section><h2>${t('web.lastRuns')} <a class="more" href="/runs">${t('web.allRuns')}</a></h2>${runTable(v, o.runs, device)}</section>`);
}

/**
 * A row per year, newest first, a cell per month: two bars (places, bytes) scaled to the busiest
 * month, the count under them, each month a link to its pictures.
 */
function monthTable(v: View, months: Overview['months']): Html {
  const { t } = v;
  const byMonth = new Map(months.map((m) => [m.month, m]));
  const maxFiles = Math.max(1, ...months.map((m) => m.files));
  const maxBytes = Math.max(1, ...months.map((m) => m.bytes));
  const years = [...new Set(months.map((m) => m.month.slice(0, 4)))].sort().reverse();
  const pct = (n: number, max: number) => `${Math.max(3, Math.round((100 * n) / max))}%`;
  const numbers = Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0'));
  return html`<div class="calendar"><table class="months">
  <thead><tr><th></th>${numbers.map((n) => html`<th>${t('web.monthShort', { month: Number(n) })}</th>`)}<th class="n">${t('total')}</th></tr></thead>
  <tbody>${years.map((y) => {
    const ofYear = months.filter((m) => m.month.startsWith(y));
    const files = ofYear.reduce((s, m) => s + m.files, 0);
    const size = ofYear.reduce((s, m) => s + m.bytes, 0);
    return html`<tr><th>${y}</th>${numbers.map((n) => {
      const m = byMonth.get(`${y}-${n}`);
      if (!m) return html`<td class="none"></td>`;
      return html`<td><a href="/month/${m.month}" title="${m.month}: ${t('web.monthCell', { count: m.files, size: bytes(m.bytes) })}">
        <span class="bars"><span class="bar files" style="height:${pct(m.files, maxFiles)}"></span><span class="bar bytes" style="height:${pct(m.bytes, maxBytes)}"></span></span>
        <span class="num">${count(v, m.files)}</span></a></td>`;
    })}<td class="n total">${count(v, files)}<br><small>${bytes(size)}</small></td></tr>`;
  })}</tbody>
</table></div>
<p class="legend"><span class="bar files"></span>${t('col.files')} <span class="bar bytes"></span>${t('col.bytes')}</p>`;
}

/**
 * Runs, newest first: when, what, where, how many, how it ended, and for a clean or dedupe run that
 * removed something its undo (`restore --run`, as a job whose progress shows in the row; the log
 * is drawn again once it is done, with the restore that undid it in place of the button).
 */
export function runTable(v: View, runs: LoggedRun[], device: string): Html {
  const { t } = v;
  if (runs.length === 0) return html`<p class="empty">${t('log.empty')}</p>`;
  const command = (r: LoggedRun) =>
    r.command === 'restore' && typeof r.selection.run === 'number' ? t('web.command.undo', { run: r.selection.run }) : t(`web.command.${r.command}`);
  const undo = (r: LoggedRun) => {
    if (!r.undoable) return '';
    if (r.undoneBy !== null) return html`<small>${t('web.undo.undone', { run: r.undoneBy })}</small>`;
    if (r.device !== device) return html`<small>${t('web.undo.elsewhere', { device: r.device })}</small>`;
    return html`<form method="post" action="/runs/${r.id}/undo" data-restore data-reload><input type="hidden" name="_csrf" value="${v.csrf}"><button type="submit">${t('web.undo')}</button><div class="progress" hidden><progress max="1" value="0"></progress><output></output></div></form>`;
  };
  return html`<table class="list runs">
  <thead><tr><th class="n">#</th><th>${t('col.when')}</th><th>${t('col.command')}</th><th>${t('col.device')}</th><th class="n">${t('col.files')}</th><th class="n">${t('col.bytes')}</th><th class="n">${t('col.skipped')}</th><th>${t('col.outcome')}</th><th></th></tr></thead>
  <tbody>${runs.map((r) => html`<tr><td class="n">${r.id}</td><td>${when(r.startedAt)}</td><td>${command(r)}</td><td>${r.device}</td>
    <td class="n">${count(v, r.files)}</td><td class="n">${bytes(r.bytes)}</td><td class="n">${count(v, r.skipped)}</td><td>${t(`web.outcome.${r.outcome}`)}</td>
    <td>${undo(r)}</td></tr>`)}</tbody>
</table>`;
}
