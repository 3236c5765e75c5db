import type { Command } from 'commander';
import { EXIT } from '../../errors.js';
import { json, progressFor, vaultOf, type CliContext, type CommonFlags } from '../context.js';

export function registerReindex(program: Command, ctx: CliContext): void {
  program.command('reindex').description('help.reindex').option('--vault <vault>', 'help.vault').action(
    async (flags: CommonFlags) => {
      const { reindex } = await import('../../core/reindex.js');
      const r = await reindex({ vault: vaultOf(ctx, flags.vault), progress: progressFor(ctx, flags) });
      if (flags.json) json(ctx, r);
      else {
        ctx.out(ctx.t('reindex.done', { archives: r.totals.archives, images: r.totals.images, locations: r.totals.locations }));
        if (r.audit && 'runs' in r.audit) ctx.out(ctx.t('reindex.audit', r.audit));
      }
      if (r.audit && 'unreadable' in r.audit) ctx.err(ctx.t('reindex.auditLost'));
      if (r.unreadable.length > 0) ctx.err(ctx.t('reindex.unreadable', { count: r.unreadable.length, names: r.unreadable.map((u) => u.name).join(', ') }));
      for (const d of r.damaged) ctx.err(`  ${d.name}: ${d.damage.join('; ')}`);
      if (r.unreadable.length > 0 || r.damaged.length > 0) ctx.exit(EXIT.damaged);
    },
  );
}
