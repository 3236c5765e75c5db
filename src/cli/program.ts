import { Command } from 'commander';
import { createRequire } from 'node:module';
import type { CliContext } from './context.js';
import { registerArchive } from './commands/archive.js';
import { registerCatalog } from './commands/catalog.js';
import { registerClean } from './commands/clean.js';
import { registerDemo } from './commands/demo.js';
import { registerReindex } from './commands/reindex.js';
import { registerRepair } from './commands/repair.js';
import { registerRestore } from './commands/restore.js';
import { registerScan } from './commands/scan.js';
import { registerServe } from './commands/serve.js';
import { registerVerify } from './commands/verify.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** The commands and their flags (SPEC "Commands"); each command's action calls one core function. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('picvault')
    .description('back up, then clean, the image caches of QQ and WeChat')
    .version(version)
    .exitOverride()
    .showSuggestionAfterError(false)
    .configureOutput({ writeOut: (s) => ctx.out(s.trimEnd()), writeErr: () => undefined });
  for (const register of [registerScan, registerArchive, registerClean, registerRestore, registerCatalog, registerVerify, registerRepair, registerReindex, registerServe, registerDemo]) {
    register(program, ctx);
  }
  // Subcommands share the overrides, so a bad flag anywhere ends as one message and exit 2.
  const inherit = (cmd: Command) => {
    cmd.exitOverride().configureOutput({ writeOut: (s) => ctx.out(s.trimEnd()), writeErr: () => undefined });
    cmd.commands.forEach(inherit);
  };
  program.commands.forEach(inherit);
  return program;
}
