import { html } from 'hono/html';
import type { PictureDetail } from '../../core/browse.js';
import { bytes, layout, restoreForm, typeName, when, type Html, type View } from './layout.js';

/** One picture: a large preview, its facts, every place it was seen, the zip that holds it, download and restore. */
export function picturePage(v: View, d: PictureDetail, device: string): Html {
  const { t } = v;
  const p = d.picture;
  const f = d.facts;
  const pixels = f.width && f.height ? `${f.width} × ${f.height}` : '—';
  const archiveState = p.archiveDamage ? t('web.archive.damaged', { damage: p.archiveDamage }) : p.archiveVerifiedAt ? t('web.archive.verified', { at: when(p.archiveVerifiedAt) }) : t('web.archive.unverified');
  const placesHere = d.places.some((l) => l.device === device);
  return layout(v, 'picture', p.hash, html`<div class="picture">
<figure class="preview">${f.broken ? html`<img src="/thumb/${p.hash}" alt="${t(`web.broken.${f.broken}`)}">` : html`<img src="/preview/${p.hash}" alt="${typeName(p.ext, p.decodedExt)}">`}</figure>
<div class="facts">
  <h1 class="hash">${p.hash}</h1>
  <dl>
    <dt>${t('web.col.type')}</dt><dd>${typeName(p.ext, p.decodedExt)}${f.animated ? html` <span class="tag">${t('web.animated')}</span>` : ''}${f.broken ? html` <span class="tag bad">${t(`web.broken.${f.broken}`)}</span>` : ''}</dd>
    <dt>${t('col.bytes')}</dt><dd>${bytes(p.size)} <small>(${p.size.toLocaleString('en-US')} B)</small></dd>
    <dt>${t('web.pixels')}</dt><dd>${pixels}</dd>
    <dt>${t('web.archive')}</dt><dd class="path">${p.archive} <small>${p.entry}</small><br><small class="${p.archiveDamage ? 'bad' : ''}">${archiveState}</small></dd>
  </dl>
  <p><a class="button" href="/original/${p.hash}" download>${t('web.download')}</a></p>
  <h2>${t('web.restore')}</h2>
  ${restoreForm(v, [p.hash], null, placesHere)}
  ${placesHere ? '' : html`<p class="note">${t('web.restore.notHere', { device })}</p>`}
</div>
</div>
<section><h2>${t('web.places', { count: d.places.length })}</h2>
<table class="list places">
  <thead><tr><th>${t('col.taken')}</th><th>${t('web.rule')}</th><th>${t('web.exifDate')}</th><th>${t('col.device')}</th><th>${t('web.col.source')}</th><th>${t('col.state')}</th><th>${t('col.path')}</th></tr></thead>
  <tbody>${d.places.map((l) => html`<tr><td>${l.taken}</td><td>${t(`rule.${l.dateRule}`)}</td><td>${l.exifDate ?? '—'}</td><td>${l.device}</td>
    <td>${t(`web.source.${l.source}`)} · ${t(`kind.${l.kind}`)}${l.chat ? html`<br><a href="/search?chat=${l.chat}"><small>${l.chat.slice(0, 12)}</small></a>` : ''}</td>
    <td><span class="state ${l.state}">${t(`state.${l.state}`)}</span></td><td class="path">${l.path}</td></tr>`)}</tbody>
</table></section>`);
}
