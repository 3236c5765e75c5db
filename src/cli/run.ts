import { EXIT } from '../errors.js';
import { main } from './main.js';
import { detectLang, translator } from './render/messages.js';

process.on('SIGINT', () => {
  // A killed run is safe by construction (SPEC invariant 2): say so and leave.
  process.stderr.write(`\npicvault: ${translator(detectLang(process.argv, process.env))('interrupted')}\n`);
  process.exit(EXIT.interrupted);
});

process.exitCode = await main(process.argv.slice(2), process.env);
