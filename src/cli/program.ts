import { Command, Option } from 'commander';
import { createRequire } from 'node:module';
import type { CliContext } from './context.js';
import { localHelp } from './help.js';
import { refuseWindowsOnlyPaths } from './paths.js';
import { registerArchive } from './commands/archive.js';
import { registerCatalog } from './commands/catalog.js';
import { registerClean } from './commands/clean.js';
import { registerDedupe } from './commands/dedupe.js';
import { registerDemo } from './commands/demo.js';
import { registerReindex } from './commands/reindex.js';
import { registerRepair } from './commands/repair.js';
import { registerRestore } from './commands/restore.js';
import { registerScan } from './commands/scan.js';
import { registerServe } from './commands/serve.js';
import { registerVerify } from './commands/verify.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** The options every command takes, defined once on the program (commander reads them anywhere on the line). */
const GLOBAL_OPTIONS = ['json', 'quiet', 'progress', 'lang'];

/**
 * The commands and their flags (SPEC "Commands"); each command's action calls one core function.
 * Help and usage settings are made before the commands are added, which copy them: help (in the
 * user's language, on stdout, also when a command is missing), and parser errors thrown to main.
 */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('picvault')
    .description('help.program')
    .version(version, '-V, --version', 'help.version')
    .helpOption('-h, --help', 'help.help')
    .helpCommand('help [command]', 'help.helpCommand')
    .configureHelp(localHelp(ctx.t))
    .exitOverride()
    .showSuggestionAfterError(false)
    // Help goes to stdout even when commander calls it an error (a command that needs a
    // subcommand, given none); parser errors are said by main, once, in the user's language.
    .configureOutput({ writeOut: (s) => ctx.out(s.trimEnd()), writeErr: (s) => ctx.out(s.trimEnd()), outputError: () => undefined })
    .option('--json', 'help.global.json')
    .option('--quiet', 'help.global.quiet')
    .option('--no-progress', 'help.global.noProgress')
    .addOption(new Option('--lang <lang>', 'help.global.lang').choices(['zh', 'en']))
    // A command's action sees the global options among its own flags.
    .hook('preAction', (_program, action) => {
      for (const key of GLOBAL_OPTIONS) {
        const value = program.getOptionValue(key);
        if (value !== undefined) action.setOptionValueWithSource(key, value, program.getOptionValueSource(key)!);
      }
      refuseWindowsOnlyPaths(action);
    });
  for (const register of [registerScan, registerArchive, registerClean, registerRestore, registerCatalog, registerVerify, registerRepair, registerReindex, registerDedupe, registerServe, registerDemo]) {
    register(program, ctx);
  }
  return program;
}
