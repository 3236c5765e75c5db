import { createRequire } from 'node:module';
import type cliProgressTypes from 'cli-progress';
import type { Progress } from '../../core/progress.js';
import type { Translate } from '../../i18n/index.js';
import { formatBytes } from './format.js';

/**
 * Progress bars on stderr, only when stderr is a terminal and the user did not ask for quiet:
 * scripts and CI logs get clean output.
 */
export function terminalProgress(t: Translate, enabled: boolean): Progress | undefined {
  if (!enabled || !process.stderr.isTTY) return undefined;
  // Loaded only when a bar is drawn: scripts and pipes never pay for it.
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof cliProgressTypes;
  let bar: cliProgressTypes.SingleBar | null = null;
  let bytes = 0;
  return {
    begin(phase, total) {
      bytes = 0;
      // A total of 0: not known in advance (a walk); the count goes up without a bar.
      const format = total > 0 ? `${t(phase).padEnd(10)} [{bar}] {value}/{total}  {bytes}` : `${t(phase).padEnd(10)} {value}  {bytes}`;
      bar = new cliProgress.SingleBar(
        { format, stream: process.stderr, hideCursor: true, clearOnComplete: true, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { bytes: '' });
    },
    advance(count = 1, b = 0) {
      bytes += b;
      bar?.increment(count, { bytes: formatBytes(bytes) });
    },
    end() {
      bar?.stop();
      bar = null;
    },
  };
}
