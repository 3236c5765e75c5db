import type { Command } from 'commander';
import { EXIT } from '../../errors.js';
import { json, progressFor, SKIPPED_SHOWN, vaultOf, type CliContext, type CommonFlags } from '../context.js';

export function registerReindex(program: Command, ctx: CliContext): void {
  program.command('reindex').description('help.reindex').option('--vault <vault>', 'help.vault').action(
    async (flags: CommonFlags) => {
      const { reindex } = await import('../../core/reindex.js');
      const vault = vaultOf(ctx, flags.vault);
      const r = await reindex({ vault, progress: progressFor(ctx, flags) });
      const { t } = ctx;
      if (flags.json) json(ctx, r);
      else {
        ctx.out(t('reindex.done', { archives: r.totals.archives, images: r.totals.images, locations: r.totals.locations }));
        if (r.audit && 'runs' in r.audit) ctx.out(t('reindex.audit', r.audit));
        if (r.kept && r.kept.archives + r.kept.images + r.kept.places > 0) ctx.out(t('reindex.kept', r.kept));
      }
      if (r.audit && 'unreadable' in r.audit) ctx.err(t('reindex.auditLost'));
      if (r.damaged.length > 0) {
        ctx.err(t('verify.damaged', { count: r.damaged.length }));
        for (const d of r.damaged) ctx.err(`  ${d.name}: ${d.damage.join('; ')}`);
        ctx.err(t('verify.repairHint', { vault }));
      }
      if (r.lost.count > 0) {
        ctx.err(t('reindex.lost', { count: r.lost.count }));
        for (const p of r.lost.places.slice(0, SKIPPED_SHOWN)) ctx.err(`  ${p.device}  ${p.path}`);
        if (r.lost.count > SKIPPED_SHOWN) ctx.err(t('skipped.more', { count: r.lost.count - SKIPPED_SHOWN }));
      }
      if (r.damaged.length > 0 || r.lost.count > 0) ctx.exit(EXIT.damaged);
    },
  );
}
