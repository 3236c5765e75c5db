// First, before the modules that do the work are loaded (see heap-growth.ts).
import './heap-growth.js';
import { EXIT } from '../errors.js';
import { main, sayFailure, wantsJson } from './main.js';
import { handInterrupt } from './interrupt.js';
import { sayLastWords } from '../core/last-words.js';
import { detectLang, translator } from '../i18n/index.js';

// `picvault catalog list | head` closes the pipe early: the reader has what it wanted.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    throw err;
  });
}

const argv = process.argv.slice(2);

// Ctrl-C, a `kill` or a service manager's stop (SIGTERM), the terminal closed (SIGHUP): each is an
// interruption. Without a handler SIGTERM and SIGHUP end the process where it stands: serve would
// leave its catalogue's -wal and -shm files behind, and a run would stay `running` in the log.
const interrupted = () => {
  if (handInterrupt()) return;
  sayLastWords();
  // A killed run is safe by construction (SPEC invariant 2): say so and leave.
  process.stderr.write('\n');
  sayFailure(wantsJson(argv), EXIT.interrupted, translator(detectLang(argv, process.env))('interrupted'));
  process.exit(EXIT.interrupted);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, interrupted);

process.exitCode = await main(argv, process.env);
