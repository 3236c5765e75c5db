import { html } from 'hono/html';
import type { LoggedRun } from '../../core/browse.js';
import { layout, type Html, type View } from './layout.js';
import { runTable } from './overview.js';

/** Every run, newest first; a clean or dedupe run of this device that removed something can be undone. */
export function runsPage(v: View, runs: LoggedRun[], device: string): Html {
  const { t } = v;
  return layout(v, 'runs', t('web.nav.runs'), html`<h1>${t('web.nav.runs')}</h1>${runTable(v, runs, device)}`);
}
