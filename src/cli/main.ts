import { once } from 'node:events';
import { CommanderError, type Command } from 'commander';
import { EXIT, PicvaultError, systemStop, type ExitCode } from '../errors.js';
import type { CliContext } from './context.js';
import { buildProgram } from './program.js';
import { helpHint, missingSubcommand, reachedCommand, usageMessage } from './usage-errors.js';
import { detectLang, translator, type Translate } from '../i18n/index.js';

/** Commander's ways of saying it has shown what was asked (help, the version): not failures. */
const SHOWN = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

/** `--json` anywhere before `--`: failures, usage errors included, are then JSON too (SPEC). */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

/**
 * A failure, said once: with --json, `{"error": {"exit": N, "message": "…"}}` on stdout (one
 * document, as every --json run prints); otherwise one line on stderr.
 */
const STREAMS = { out: (s: string) => void process.stdout.write(s + '\n'), err: (s: string) => void process.stderr.write(s + '\n') };

export function sayFailure(asJson: boolean, exit: number, message: string, write: { out(s: string): void; err(s: string): void } = STREAMS): void {
  if (asJson) write.out(JSON.stringify({ error: { exit, message } }, null, 2));
  else write.err(`picvault: ${message}`);
}

/** What went wrong, in the user's language, with its exit code (SPEC "Exit codes"). */
function describe(err: unknown, t: Translate, program: Command, argv: string[]): { exit: ExitCode; message: string; bug?: boolean } {
  if (err instanceof CommanderError) {
    const { key, params } = missingSubcommand(err, reachedCommand(program, argv)) ?? usageMessage(err, helpHint(program, argv));
    return { exit: EXIT.usage, message: t(key, params) };
  }
  if (err instanceof PicvaultError) return { exit: err.exitCode, message: t(err.key, err.params) };
  const stop = systemStop(err);
  if (stop) return { exit: EXIT.failed, message: t(stop.path ? 'io.stoppedAt' : 'io.stopped', { errno: stop.code, path: stop.path ?? '' }) };
  return { exit: EXIT.failed, message: t('bug', { detail: err instanceof Error ? err.message : String(err) }), bug: true };
}

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
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return status;
  } catch (err) {
    if (err instanceof CommanderError && SHOWN.has(err.code)) return EXIT.ok;
    const { exit, message, bug } = describe(err, t, program, argv);
    // `catalog --vault V`: the group's help (its subcommands) above the line saying to name one.
    const group = err instanceof CommanderError ? reachedCommand(program, argv) : null;
    if (group && missingSubcommand(err as CommanderError, group) && !wantsJson(argv)) group.outputHelp();
    sayFailure(wantsJson(argv), exit, message, ctx);
    if (bug && env.PICVAULT_DEBUG) ctx.err(String((err as Error)?.stack));
    return exit;
  }
}
