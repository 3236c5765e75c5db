import { createInterface } from 'node:readline/promises';
import { EXIT, PicvaultError } from '../../errors.js';

/**
 * A y/N question on the terminal; anything but y or yes (or 是) is no. Ctrl-C (or Ctrl-D) at the
 * question is the user leaving: nothing has been done, and the run ends as interrupted (exit 130).
 */
export async function askYesNo(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const left = new Promise<never>((_, reject) => {
    const leave = () => reject(new PicvaultError('interrupted.asked', {}, EXIT.interrupted));
    rl.once('SIGINT', leave);
    rl.once('close', leave);
  });
  try {
    const answer = (await Promise.race([rl.question(`${question} [y/N] `), left])).trim().toLowerCase();
    return answer === 'y' || answer === 'yes' || answer === '是';
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw new PicvaultError('interrupted', {}, EXIT.interrupted);
    throw err;
  } finally {
    left.catch(() => undefined);
    rl.close();
  }
}

export const onTerminal = () => Boolean(process.stdin.isTTY && process.stdout.isTTY);
