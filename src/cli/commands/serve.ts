import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import { takeOverInterrupt } from '../interrupt.js';
import { vaultOf, type CliContext, type CommonFlags } from '../context.js';

interface ServeFlags extends CommonFlags {
  port?: string;
  open?: boolean;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw usageError('serve.badPort', { value });
  return n;
}

export function registerServe(program: Command, ctx: CliContext): void {
  const { t } = ctx;
  const cmd = program
    .command('serve')
    .description('help.serve')
    .option('--vault <vault>', 'help.serve.vault')
    .option('--port <port>', 'help.serve.port')
    .option('--open', 'help.serve.open');
  cmd.action(async (flags: ServeFlags) => {
    const port = parsePort(flags.port);
    const [{ startServe }, { defaultCacheDir }, { openBrowser }] = await Promise.all([
      import('../../web/serve.js'),
      import('../../web/cache-dir.js'),
      import('../../web/open-browser.js'),
    ]);
    const serving = await startServe({
      vault: vaultOf(ctx, flags.vault),
      cacheDir: defaultCacheDir(ctx.env),
      device: ctx.env.PICVAULT_DEVICE || (await import('node:os')).hostname(),
      port,
    });
    const stopped = new Promise<void>((resolve) => {
      const release = takeOverInterrupt(() => {
        release();
        resolve();
      });
    });
    ctx.out(`${t('serve.listening', { vault: vaultOf(ctx, flags.vault) })}\n\n  ${serving.url}\n\n${t('serve.howToStop')}`);
    if (flags.open) await openBrowser(serving.url).catch((err: Error) => ctx.err(t('serve.openFailed', { reason: err.message })));
    await stopped;
    await serving.close();
    ctx.err(t('serve.stopped'));
  });
}
