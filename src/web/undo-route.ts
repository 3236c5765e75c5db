import type { Hono } from 'hono';
import { restore } from '../core/restore.js';
import type { AppContext } from './serve.js';
import { viewOf } from './view.js';

/**
 * The run log's undo: `restore --run ID` as a job of the page (the restore jobs' queue and their
 * progress, polled at /jobs/ID), for a clean or dedupe run of this device that removed something.
 * It writes back to the places the run removed, so only this device's runs: another device's
 * places are that device's to restore.
 */
export function undoRoute(app: Hono, ctx: AppContext): void {
  const { browse, guard: g, jobs } = ctx;
  app.post('/runs/:id/undo', (c) => {
    const t = viewOf(c, g).t;
    const id = Number(c.req.param('id'));
    const run = Number.isSafeInteger(id) && id > 0 ? browse.run(id) : undefined;
    if (!run?.undoable) return c.json({ error: t('web.undo.cannot') }, 400);
    if (run.undoneBy !== null) return c.json({ error: t('web.undo.already', { run: id, undo: run.undoneBy }) }, 409);
    if (run.device !== ctx.device) return c.json({ error: t('web.undo.otherDevice', { device: run.device, run: id }) }, 400);
    const job = jobs.start((progress) => restore({ vault: browse.dir, run: id, device: ctx.device, progress, items: false }));
    return c.json({ job: job.id }, 202);
  });
}
