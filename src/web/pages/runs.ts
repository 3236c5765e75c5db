import { html } from 'hono/html';
import type { LoggedRun } from '../../core/browse.js';
import { layout, type Html, type View } from './layout.js';
import { runTable } from './overview.js';

/** Every run, newest first; a clean or dedupe run can be undone where the core supports it. */
export function runsPage(v: View, runs: LoggedRun[]): Html {
  const { t } = v;
  return layout(v, 'runs', t('web.nav.runs'), html`<h1>${t('web.nav.runs')}</h1>${runTable(v, runs)}`);
}
