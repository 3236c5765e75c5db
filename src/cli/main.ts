import { once } from 'node:events';
import { CommanderError } from 'commander';
import { EXIT, PicvaultError, systemStop, type ExitCode } from '../errors.js';
import type { CliContext } from './context.js';
import { buildProgram } from './program.js';
import { detectLang, translator } from '../i18n/index.js';

/** Commander's error codes, as our message keys. */
const USAGE_KEYS: Record<string, string> = {
  'commander.unknownOption': 'usage.unknownOption',
  'commander.unknownCommand': 'usage.unknownCommand',
  'commander.optionMissingArgument': 'usage.missingArgument',
  'commander.missingArgument': 'usage.missingArgument',
  'commander.missingMandatoryOptionValue': 'usage.missingArgument',
  'commander.excessArguments': 'usage.excessArguments',
};

/**
 * The only place that exits. A PicvaultError becomes one sentence in the user's language and its
 * exit code; a usage mistake is exit 2; the system stopping the run (a full disk, a permission)
 * is exit 1 with what to fix; anything else is a bug: exit 1 with what happened (the stack only
 * with PICVAULT_DEBUG=1).
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<ExitCode> {
  const lang = detectLang(argv, env);
  const t = translator(lang);
  let status: ExitCode = EXIT.ok;
  const ctx: CliContext = {
    lang,
    t,
    env,
    out: (s) => void process.stdout.write(s + '\n'),
    drain: () => (process.stdout.writableNeedDrain ? once(process.stdout, 'drain').then(() => undefined) : Promise.resolve()),
    err: (s) => void process.stderr.write(s + '\n'),
    exit: (code) => void (status = Math.max(status, code) as ExitCode),
  };
  try {
    await buildProgram(ctx).parseAsync(argv, { from: 'user' });
    return status;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      const detail = err.message.replace(/^error:\s*/i, '');
      ctx.err(`picvault: ${t(USAGE_KEYS[err.code] ?? 'usage.other', { detail })}`);
      return EXIT.usage;
    }
    if (err instanceof PicvaultError) {
      ctx.err(`picvault: ${t(err.key, err.params)}`);
      return err.exitCode;
    }
    const stop = systemStop(err);
    const said = stop
      ? t(stop.path ? 'io.stoppedAt' : 'io.stopped', { reason: t(stop.reason), code: stop.code, path: stop.path ?? '' })
      : t('bug', { detail: err instanceof Error ? err.message : String(err) });
    ctx.err(`picvault: ${said}`);
    if (env.PICVAULT_DEBUG) ctx.err(String((err as Error)?.stack));
    return EXIT.failed;
  }
}
