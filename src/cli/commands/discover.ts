import os from 'node:os';
import { discoverCaches } from '../../sources/discover.js';
import { usageError } from '../../errors.js';
import type { CliContext } from '../context.js';

/**
 * No source named: the known caches of this machine (PICVAULT_HOME points at another home). Says
 * what it found, or where it looked when it found nothing (an error, unless `orElse` names what to
 * say instead: then none).
 */
export async function discoveredSources(ctx: CliContext, quiet = false, orElse?: { key: string }): Promise<string[]> {
  const home = ctx.env.PICVAULT_HOME || os.homedir();
  const { found, lookedIn } = await discoverCaches(home);
  if (found.length === 0) {
    // A command that has something else to work on (dedupe's vault) says so and goes on without a cache.
    if (orElse) {
      if (!quiet) ctx.err(ctx.t(orElse.key));
      return [];
    }
    throw usageError('discover.none', { places: lookedIn.map((c) => c.path).join('; ') });
  }
  if (!quiet) for (const c of found) ctx.err(ctx.t('discover.found', { app: ctx.t(`app.${c.app}`), path: c.path }));
  return found.map((c) => c.path);
}
