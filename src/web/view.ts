import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { translator, type Lang } from '../i18n/index.js';
import { layout, type View } from './pages/layout.js';
import type { Guard } from './security.js';

/** The cookie that keeps the language chosen on the page. */
export const LANG_COOKIE = 'picvault-lang';

/** The browser's language: the page's switch (a cookie), else the first of Accept-Language we speak. */
function langOf(c: Context): Lang {
  const chosen = getCookie(c, LANG_COOKIE);
  if (chosen === 'zh' || chosen === 'en') return chosen;
  for (const part of (c.req.header('accept-language') ?? '').split(',')) {
    const tag = part.trim().toLowerCase();
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

export const viewOf = (c: Context, g: Guard): View => {
  const lang = langOf(c);
  const url = new URL(c.req.url);
  return { lang, t: translator(lang), csrf: g.csrf, here: url.pathname + url.search };
};

/** A short page that says what went wrong, in the user's language. */
export function problemPage(c: Context, g: Guard, status: 400 | 401 | 403 | 404 | 405 | 409 | 500 | 503, key: string, params: Record<string, string | number> = {}) {
  const v = viewOf(c, g);
  return c.html(layout(v, 'overview', v.t('web.problem'), html`<p class="problem">${v.t(key, params)}</p>`), status);
}

/** Where to go back to after a change: a path of this page, never another site (an open redirect). */
export const pageOnly = (back: unknown, fallback = '/') => (typeof back === 'string' && /^\/(?![/\\])/.test(back) ? back : fallback);
