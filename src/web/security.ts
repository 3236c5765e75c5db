import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

/**
 * A page that can write files into the user's folders is an attack surface for every web site the
 * user visits. What guards it:
 * - it listens on 127.0.0.1 only (serve.ts);
 * - a Host other than the loopback address and this port is refused: a site that rebinds its own
 *   name to 127.0.0.1 (DNS rebinding) still sends its own name;
 * - every request carries the token printed in the terminal: the first visit trades it for an
 *   HttpOnly, SameSite=Strict cookie (no other site's page can send it) and is sent on to the same
 *   address without it;
 * - every change is a POST with a form token derived from the secret, and a foreign Origin is
 *   refused even with a good token.
 */

export interface Guard {
  /** The secret the address carries. */
  token: string;
  /** The form token every POST carries. */
  csrf: string;
  /** The cookie's name: one per port, so two pages served at once keep their own. */
  cookie: string;
  /** The Host values this server answers to. */
  hosts: string[];
  /** The origins a POST may come from. */
  origins: string[];
}

export function makeGuard(port: number, token = randomBytes(24).toString('base64url')): Guard {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  return {
    token,
    csrf: createHmac('sha256', token).update('csrf').digest('base64url'),
    cookie: `picvault-${port}`,
    hosts,
    origins: hosts.map((h) => `http://${h}`),
  };
}

export const same = (a: string | undefined, b: string) => {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Why a request is refused: a message key of web.ts, with its HTTP status. */
export type Refusal = { status: 401 | 403 | 405; key: string };

/**
 * The checks, in order. A refusal is drawn by the caller (a short page in the user's language);
 * nothing past a refused check runs.
 */
export function guard(g: Guard, refuse: (c: Context, r: Refusal) => Response | Promise<Response>): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header('host');
    if (!host || !g.hosts.includes(host.toLowerCase())) return refuse(c, { status: 403, key: 'web.refused.host' });
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') return refuse(c, { status: 405, key: 'web.refused.method' });

    const url = new URL(c.req.url);
    const given = url.searchParams.get('token');
    if (given !== null && method !== 'POST') {
      if (!same(given, g.token)) return refuse(c, { status: 401, key: 'web.refused.token' });
      setCookie(c, g.cookie, g.token, { httpOnly: true, sameSite: 'Strict', path: '/' });
      url.searchParams.delete('token');
      // The address bar, the history and any Referer then hold no secret.
      return c.redirect(url.pathname + url.search, 303);
    }
    if (!same(getCookie(c, g.cookie), g.token)) return refuse(c, { status: 401, key: 'web.refused.token' });

    if (method === 'POST') {
      const origin = c.req.header('origin');
      const site = c.req.header('sec-fetch-site');
      // A form posted by the page itself says "null": the page's Referrer-Policy (no-referrer) hides
      // its origin from navigations. Taken only when the browser also says the post came from this
      // origin (Sec-Fetch-Site, which no page can set).
      const ownForm = origin === 'null' && site === 'same-origin';
      if (origin !== undefined && !ownForm && !g.origins.includes(origin)) return refuse(c, { status: 403, key: 'web.refused.origin' });
      if (site === 'cross-site') return refuse(c, { status: 403, key: 'web.refused.origin' });
      const form = await c.req.parseBody({ all: true }).catch(() => ({}) as Record<string, unknown>);
      const sent = c.req.header('x-csrf-token') ?? (typeof form._csrf === 'string' ? form._csrf : undefined);
      if (!same(sent, g.csrf)) return refuse(c, { status: 403, key: 'web.refused.csrf' });
    }
    c.header('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; style-src-attr 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    await next();
  };
}
