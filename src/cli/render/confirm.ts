import { createInterface } from 'node:readline/promises';
import { EXIT, PicvaultError } from '../../errors.js';

/**
 * A y/N question on the terminal; anything but y or yes (or 是) is no. Ctrl-C at the question
 * (readline takes it from the terminal as a key, not a signal) interrupts the run, as anywhere.
 */
export async function askYesNo(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question} [y/N] `)).trim().toLowerCase();
    return answer === 'y' || answer === 'yes' || answer === '是';
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw new PicvaultError('interrupted', {}, EXIT.interrupted);
    throw err;
  } finally {
    rl.close();
  }
}

export const onTerminal = () => Boolean(process.stdin.isTTY && process.stdout.isTTY);
