import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Hono, type Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { createAdaptorServer } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { Browse } from '../core/browse.js';
import { restore } from '../core/restore.js';
import { EXIT, PicvaultError } from '../errors.js';
import { translator } from '../i18n/index.js';
import { RestoreJobs, type JobView } from './jobs.js';
import { day, fullHash, hashPrefix, month, offset, restoreFolder, word } from './params.js';
import { guard, makeGuard, type Guard, type Refusal } from './security.js';
import { duplicateRoutes } from './duplicate-routes.js';
import { undoRoute } from './undo-route.js';
import { LANG_COOKIE, pageOnly, problemPage, viewOf } from './view.js';
import { PAGE_SIZE, monthPage } from './pages/month.js';
import { overviewPage } from './pages/overview.js';
import { picturePage } from './pages/picture.js';
import { runsPage } from './pages/runs.js';
import { searchPage } from './pages/search.js';
import { brokenTile } from './pages/tiles.js';
import type { MonthSort } from '../core/browse.js';

/** The page's stylesheet and script, shipped in the package (src/web/assets): no CDN, works offline. */
const ASSETS_DIR = fileURLToPath(new URL('../../src/web/assets/', import.meta.url));
const ASSETS: Record<string, string> = { 'style.css': 'text/css; charset=utf-8', 'app.js': 'text/javascript; charset=utf-8' };
const IMMUTABLE = 'private, max-age=31536000, immutable';

export interface AppContext {
  browse: Browse;
  guard: Guard;
  /** This device's name: where "restore to its places" can write. */
  device: string;
  jobs: RestoreJobs;
}

/** The routes, testable without a socket (app.request). */
export function createApp(ctx: AppContext): Hono {
  const { browse, guard: g, jobs } = ctx;
  const app = new Hono();
  const refuse = (c: Context, r: Refusal) => problemPage(c, g, r.status, r.key);
  app.use('*', guard(g, refuse));

  app.get('/assets/:name', async (c) => {
    const type = ASSETS[c.req.param('name')];
    if (!type) return problemPage(c, g, 404, 'web.notFound');
    const body = await readFile(ASSETS_DIR + c.req.param('name'));
    return c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
  });

  app.get('/lang/:lang', (c) => {
    const lang = c.req.param('lang');
    if (lang !== 'zh' && lang !== 'en') return problemPage(c, g, 400, 'web.badParam');
    setCookie(c, LANG_COOKIE, lang, { sameSite: 'Strict', path: '/', maxAge: 365 * 24 * 3600 });
    return c.redirect(pageOnly(c.req.query('back')), 303);
  });

  app.get('/', (c) => c.html(overviewPage(viewOf(c, g), browse.overview(), ctx.device)));

  app.get('/month/:month', (c) => {
    const m = month(c.req.param('month'));
    if (!m) return problemPage(c, g, 400, 'web.badParam');
    const q = (k: string) => word(c.req.query(k));
    const sort = (['date', 'date-desc', 'size', 'size-desc'] as const).find((s) => s === c.req.query('sort')) ?? 'date';
    const page = browse.month({ month: m, source: q('source'), chat: q('chat'), kind: q('kind'), device: q('device'), type: q('type') }, sort as MonthSort, offset(c.req.query('offset')), PAGE_SIZE);
    return c.html(monthPage(viewOf(c, g), page));
  });

  app.get('/picture/:hash', async (c) => {
    const hash = fullHash(c.req.param('hash'));
    if (!hash) return problemPage(c, g, 400, 'web.badParam');
    const detail = await browse.picture(hash);
    if (!detail) return problemPage(c, g, 404, 'web.notFound');
    return c.html(picturePage(viewOf(c, g), detail, ctx.device));
  });

  const image = (size: 'grid' | 'large') => async (c: Context) => {
    const hash = fullHash(c.req.param('hash'));
    const stored = hash && browse.stored(hash);
    if (!stored) return problemPage(c, g, hash ? 404 : 400, hash ? 'web.notFound' : 'web.badParam');
    const thumb = await browse.thumbnail(stored, size);
    if (!thumb.webp) {
      // Drawn in the page's language, so not kept for long.
      const t = viewOf(c, g).t;
      return c.body(brokenTile(t(`web.broken.${thumb.facts.broken}`), stored.decodedExt ?? stored.ext), 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'no-cache' });
    }
    // A picture's bytes never change, so neither does its thumbnail: the hash is its address.
    return c.body(new Uint8Array(thumb.webp), 200, { 'Content-Type': 'image/webp', 'Cache-Control': IMMUTABLE });
  };
  app.get('/thumb/:hash', image('grid'));

  app.get('/preview/:hash', async (c) => {
    const hash = fullHash(c.req.param('hash'));
    const stored = hash && browse.stored(hash);
    // An animated GIF plays as itself; anything else is shown as a large WebP, rotated as it was taken.
    if (stored && (stored.decodedExt ?? stored.ext) === 'gif') {
      const bytes = await browse.thumbnails.pictureBytes(stored);
      if (bytes) return c.body(new Uint8Array(bytes), 200, { 'Content-Type': 'image/gif', 'Cache-Control': IMMUTABLE });
    }
    return image('large')(c);
  });

  app.get('/original/:hash', async (c) => {
    const hash = fullHash(c.req.param('hash'));
    const stored = hash && browse.stored(hash);
    if (!stored) return problemPage(c, g, hash ? 404 : 400, hash ? 'web.notFound' : 'web.badParam');
    const bytes = await browse.thumbnails.storedBytes(stored);
    if (!bytes) return problemPage(c, g, 409, 'web.unreadable');
    return c.body(new Uint8Array(bytes), 200, {
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename="${stored.hash}.${stored.ext}"`,
      'Cache-Control': IMMUTABLE,
    });
  });

  duplicateRoutes(app, ctx);

  app.get('/runs', (c) => c.html(runsPage(viewOf(c, g), browse.runs(), ctx.device)));
  undoRoute(app, ctx);

  app.get('/search', (c) => {
    const v = viewOf(c, g);
    const raw = { hash: c.req.query('hash')?.trim(), path: c.req.query('path')?.trim(), chat: c.req.query('chat')?.trim(), since: c.req.query('since'), before: c.req.query('before') };
    const q = Object.fromEntries(Object.entries(raw).filter(([, x]) => x)) as Record<string, string>;
    if (Object.keys(q).length === 0) return c.html(searchPage(v, q, null, null));
    const hash = q.hash === undefined ? undefined : hashPrefix(q.hash);
    const since = q.since === undefined ? undefined : day(q.since);
    const before = q.before === undefined ? undefined : day(q.before);
    const chat = q.chat === undefined ? undefined : hashPrefix(q.chat);
    const bad = hash === null ? 'web.search.badHash' : since === null || before === null ? 'web.search.badDate' : chat === null ? 'web.search.badChat' : null;
    if (bad) return c.html(searchPage(v, q, null, v.t(bad)), 400);
    return c.html(searchPage(v, q, browse.search({ hash: hash ?? undefined, path: word(q.path), chat: chat ?? undefined, since: since ?? undefined, before: before ?? undefined }), null));
  });

  app.post('/restore', async (c) => {
    const t = viewOf(c, g).t;
    const form = await c.req.parseBody({ all: true });
    const list = ([] as unknown[]).concat(form.hash ?? []);
    const hashes = list.map((h) => fullHash(String(h)));
    const m = form.month === undefined ? null : month(String(form.month));
    const fail = (key: string, params: Record<string, string> = {}) => c.json({ error: t(key, params) }, 400);
    if (hashes.length === 0 || hashes.length > 5_000 || hashes.some((h) => h === null) || m === null && form.month !== undefined) return fail('web.badParam');
    let to: string | undefined;
    if (form.mode === 'folder') {
      const checked = restoreFolder(typeof form.folder === 'string' ? form.folder : undefined, browse.dir);
      if ('problem' in checked) return fail(checked.problem);
      to = checked.folder;
    } else if (form.mode !== 'places') return fail('web.badParam');
    const job = jobs.start((progress) =>
      restore({
        vault: browse.dir,
        selection: { hashes: hashes as string[], ...(m && { month: m }) },
        to,
        device: ctx.device,
        progress,
        items: false,
      }),
    );
    return c.json({ job: job.id }, 202);
  });

  app.get('/jobs/:id', (c) => {
    const job = jobs.get(Number(c.req.param('id')));
    if (!job) return c.json({ error: viewOf(c, g).t('web.notFound') }, 404);
    return c.json(jobReport(job, viewOf(c, g).t));
  });

  app.notFound((c) => problemPage(c, g, 404, 'web.notFound'));
  app.onError((err, c) => {
    if (err instanceof PicvaultError) return problemPage(c, g, err.exitCode === EXIT.usage ? 400 : 503, err.key, err.params);
    return problemPage(c, g, 500, 'bug', { detail: err instanceof Error ? err.message : String(err) });
  });
  return app;
}

/** A job as the page shows it: its numbers and one sentence in the user's language. */
function jobReport(job: JobView, t: ReturnType<typeof translator>) {
  let message = '';
  if (job.state === 'waiting') message = t('web.job.waiting');
  else if (job.state === 'running') message = t('web.job.running', { done: job.done, total: job.total });
  else if (job.error) message = t(job.error.key, job.error.params);
  else if (job.result) {
    const r = job.result;
    message = r.selected === 0 ? t('restore.none') : t('web.job.done', { restored: r.restored, already: r.already, skipped: r.skipped.length });
    if (r.destination && r.restored > 0) message += ' ' + t('restore.to', { dir: r.destination });
  }
  const skipped = job.result?.skipped.map((s) => `${s.from}: ${t(`skip.${s.skip}`, { device: '' })}`) ?? [];
  return { state: job.state, done: job.done, total: job.total, message, skipped };
}

/** Why the port could not be taken, in words (a bare EADDRINUSE told the user nothing): bad usage, exit 2. */
function listenError(err: unknown, port: number): PicvaultError {
  const code = (err as NodeJS.ErrnoException).code;
  const key = code === 'EADDRINUSE' ? 'web.portBusy' : code === 'EACCES' ? 'web.portDenied' : 'web.cannotListen';
  return new PicvaultError(key, { port, errno: code ?? String(err) }, EXIT.usage);
}

export interface ServeOptions {
  vault: string;
  cacheDir: string;
  device: string;
  /** 0 (or none) for a random free port. */
  port?: number;
}

export interface Serving {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * serve: opens the vault read-only and serves the page on 127.0.0.1 only. The address it returns
 * carries the token; everything else about the page's safety is in security.ts.
 */
export async function startServe(options: ServeOptions): Promise<Serving> {
  const browse = await Browse.open({ vault: options.vault, cacheDir: options.cacheDir });
  await browse.warm();
  let app: Hono | null = null;
  const server = createAdaptorServer({ fetch: (req: Request) => app!.fetch(req) });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (err) {
    await browse.close();
    throw listenError(err, options.port ?? 0);
  }
  const port = (server.address() as AddressInfo).port;
  const g = makeGuard(port);
  const jobs = new RestoreJobs();
  app = createApp({ browse, guard: g, device: options.device, jobs });
  return {
    url: `http://127.0.0.1:${port}/?token=${g.token}`,
    port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await jobs.idle();
      await browse.close();
    },
  };
}
