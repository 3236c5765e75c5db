import { createInterface } from 'node:readline/promises';

/** A y/N question on the terminal; anything but y or yes (or 是) is no. */
export async function askYesNo(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question} [y/N] `)).trim().toLowerCase();
    return answer === 'y' || answer === 'yes' || answer === '是';
  } finally {
    rl.close();
  }
}

export const onTerminal = () => Boolean(process.stdin.isTTY && process.stdout.isTTY);
