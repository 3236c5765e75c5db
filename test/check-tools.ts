// Run by `npm test` before the tests: a missing tool is said once, here, not as a spawn error in every test.
import { missingTools, toolsMessage } from './helpers/tools.js';

const missing = missingTools();
if (missing.length > 0) {
  process.stderr.write(toolsMessage(missing) + '\n');
  process.exitCode = 1;
}
