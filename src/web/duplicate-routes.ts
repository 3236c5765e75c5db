import type { Context, Hono } from 'hono';
import { TIERS, type Tier } from '../core/dedupe/groups.js';
import { markKept, markNotDuplicates, unmarkKept, unmarkNotDuplicates } from '../core/dedupe/marks.js';
import { fullHash, offset, word } from './params.js';
import { GROUPS_PER_PAGE, duplicatesPage } from './pages/duplicates.js';
import type { AppContext } from './serve.js';
import { pageOnly, problemPage, viewOf } from './view.js';

/**
 * The duplicates page and its marks (SPEC "The web page"): "not duplicates" and "keep this copy",
 * each set and taken back by a POST (the form token and the Origin checks of security.ts apply to
 * every POST), written by dedupe's core under the vault's lock, then back to the page. A vault
 * that can only be read shows no buttons and refuses the POSTs.
 */
export function duplicateRoutes(app: Hono, ctx: AppContext): void {
  const { browse, guard: g } = ctx;

  app.get('/duplicates', async (c) => {
    const asked = c.req.query('tier');
    const tier = TIERS.find((t) => t === asked);
    if (asked !== undefined && !tier) return problemPage(c, g, 400, 'web.badParam');
    const report = await browse.duplicates.report();
    // Without a tier asked for, the first that has groups.
    const shown: Tier = tier ?? TIERS.find((t) => report.tiers[t].groups > 0) ?? 'identical';
    const page = await browse.duplicates.page(shown, offset(c.req.query('offset')), GROUPS_PER_PAGE);
    return c.html(duplicatesPage(viewOf(c, g), page, { vault: browse.dir, readOnly: browse.readOnly, marks: browse.duplicates.marks() }));
  });

  /** A change to the marks, then back to the page it came from. */
  const change = async (c: Context, form: Record<string, unknown>, write: () => Promise<unknown>) => {
    if (browse.readOnly) return problemPage(c, g, 409, 'web.readOnly');
    await write();
    return c.redirect(pageOnly(form.back, '/duplicates'), 303);
  };
  const pair = (form: Record<string, unknown>) => {
    const a = fullHash(String(form.a ?? ''));
    const b = fullHash(String(form.b ?? ''));
    return a && b && a !== b ? [a, b] : null;
  };

  app.post('/duplicates/not-duplicates', async (c) => {
    const form = await c.req.parseBody();
    const ab = pair(form);
    if (!ab) return problemPage(c, g, 400, 'web.badParam');
    // Only two pictures the page showed in one group: not any two hashes a form may carry.
    if (!(await browse.duplicates.together(ab[0], ab[1]))) return problemPage(c, g, 409, 'web.dup.gone');
    return change(c, form, () => markNotDuplicates(browse.dir, ab, ctx.device));
  });

  app.post('/duplicates/not-duplicates/undo', async (c) => {
    const form = await c.req.parseBody();
    const ab = pair(form);
    if (!ab) return problemPage(c, g, 400, 'web.badParam');
    return change(c, form, () => unmarkNotDuplicates(browse.dir, ab));
  });

  app.post('/duplicates/keep', async (c) => {
    const form = await c.req.parseBody();
    const picture = fullHash(String(form.picture ?? ''));
    const place = Number(form.place);
    if (!picture || !Number.isSafeInteger(place) || place <= 0) return problemPage(c, g, 400, 'web.badParam');
    const target = await browse.duplicates.keepTarget(place, picture);
    if (!target) return problemPage(c, g, 409, 'web.dup.gone');
    return change(c, form, () => markKept(browse.dir, target.copy, target.groupPictures, ctx.device));
  });

  app.post('/duplicates/keep/undo', async (c) => {
    const form = await c.req.parseBody();
    const picture = fullHash(String(form.picture ?? ''));
    const device = word(typeof form.device === 'string' ? form.device : undefined);
    // The path is only a key of the mark here: nothing is read or written at it.
    const path = typeof form.path === 'string' && form.path.length > 0 && form.path.length <= 4096 && !/[\u0000-\u001f]/.test(form.path) ? form.path : null;
    if (!picture || !device || !path) return problemPage(c, g, 400, 'web.badParam');
    return change(c, form, () => unmarkKept(browse.dir, { picture, device, path }));
  });
}
