import type { Command, CommanderError } from 'commander';

export interface Said {
  key: string;
  params: Record<string, string | number>;
}

/**
 * A parser error from commander as one of our messages, so that it is said once and wholly in
 * the user's language: commander's English sentence only gives the names it quotes.
 */
export function usageMessage(err: CommanderError, help: string): Said {
  const quoted = [...err.message.matchAll(/'([^']*)'/g)].map((m) => m[1]);
  const flag = (quoted[0] ?? '').split(' ')[0];
  switch (err.code) {
    case 'commander.unknownOption':
      return { key: 'usage.unknownOption', params: { option: quoted[0] ?? '', help } };
    case 'commander.unknownCommand':
      return { key: 'usage.unknownCommand', params: { command: quoted[0] ?? '', help } };
    case 'commander.optionMissingArgument':
    case 'commander.missingMandatoryOptionValue':
      return { key: 'usage.optionNeedsValue', params: { option: flag, help } };
    case 'commander.missingArgument':
      return { key: 'usage.missingArgument', params: { argument: (quoted[0] ?? '').toUpperCase(), help } };
    case 'commander.excessArguments': {
      const [, expected = '0', got = '?'] = /Expected (\d+) arguments? but got (\d+)/.exec(err.message) ?? [];
      return { key: 'usage.excessArguments', params: { expected: Number(expected), got, help } };
    }
    case 'commander.invalidArgument': {
      const choices = /Allowed choices are (.*)\.$/.exec(err.message)?.[1];
      if (choices) return { key: 'choice.bad', params: { flag, value: quoted[1] ?? '', choices: choices.split(', ').join('|') } };
      return { key: 'usage.other', params: { detail: err.message.replace(/^error:\s*/i, '') } };
    }
    default:
      return { key: 'usage.other', params: { detail: err.message.replace(/^error:\s*/i, '') } };
  }
}

/** The command the words on the line lead to: `catalog` for `catalog --vault V`, `catalog list` for `catalog list …`. */
export function reachedCommand(program: Command, argv: readonly string[]): Command {
  let cmd = program;
  for (const token of argv) {
    if (token === '--') break;
    const sub = cmd.commands.find((c) => c.name() === token || c.aliases().includes(token));
    if (sub) cmd = sub;
  }
  return cmd;
}

/** `picvault catalog list --help`: where to look, for the command the user was typing. */
export function helpHint(program: Command, argv: readonly string[]): string {
  const names: string[] = [];
  for (let cmd: Command | null = reachedCommand(program, argv); cmd; cmd = cmd.parent) names.unshift(cmd.name());
  return `${names.join(' ')} --help`;
}

/**
 * A group of subcommands (`catalog`) given a subcommand's option but no subcommand
 * (`catalog --vault V`): what to name, rather than "unknown option". Its help is shown with it.
 */
export function missingSubcommand(err: CommanderError, cmd: Command): Said | null {
  if (err.code !== 'commander.unknownOption' || cmd.parent === null || cmd.commands.length === 0) return null;
  const option = /'([^']*)'/.exec(err.message)?.[1] ?? '';
  const subcommands = cmd.commands.map((c) => c.name()).filter((name) => name !== 'help');
  const command = `${cmd.parent.name()} ${cmd.name()}`;
  return { key: 'usage.needsSubcommand', params: { command, subcommands: subcommands.join(', '), option, example: `${command} ${subcommands[0]} ${option}` } };
}
