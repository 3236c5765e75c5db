import { Help, type Argument, type Command, type HelpConfiguration, type Option } from 'commander';
import type { Translate } from '../i18n/index.js';
import { displayWidth } from './render/format.js';

/** Commander's headings, as our message keys. */
const HEADINGS: Record<string, string> = {
  'Usage:': 'help.usage',
  'Arguments:': 'help.arguments',
  'Options:': 'help.options',
  'Global Options:': 'help.globalOptions',
  'Commands:': 'help.commands',
};

/**
 * A CJK character is a chunk of its own, Chinese having no spaces to wrap at, and keeps the
 * punctuation that follows it: a line never starts with a comma.
 */
const CJK = '\\u2e80-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef';
const TRAILING = '，。；：、）」』！？';
const WRAP_CHUNK = new RegExp(`\\s*(?:[${CJK}]|[^\\s${CJK}]+)[${TRAILING}]*`, 'gu');

/**
 * Commander's help in the user's language. Commands give every description as a key of
 * src/i18n/messages/help.ts; the keys are translated here when help is shown, with commander's
 * own headings and the (default: …) and (one of: …) notes, and CJK text measured and wrapped by
 * the columns it takes on a terminal.
 */
export function localHelp(t: Translate): HelpConfiguration {
  const notes = (described: string, choices?: readonly string[], value?: unknown, shown?: string) => {
    const extra = [];
    if (choices) extra.push(t('help.choices', { choices: choices.join(', ') }));
    if (shown !== undefined) extra.push(t('help.default', { value: shown }));
    else if (value !== undefined && typeof value !== 'boolean') extra.push(t('help.default', { value: String(value) }));
    // A full-width bracket brings its own space.
    return [t(described), ...extra].filter(Boolean).join(' ').replace(/ （/g, '（');
  };
  return {
    showGlobalOptions: true,
    styleTitle: (title: string) => (HEADINGS[title] ? t(HEADINGS[title]) : title),
    commandDescription: (cmd: Command) => t(cmd.description()),
    subcommandDescription: (cmd: Command) => t(cmd.summary() || cmd.description()),
    optionDescription: (option: Option) => notes(option.description, option.argChoices, option.negate ? undefined : option.defaultValue, option.defaultValueDescription),
    argumentDescription: (argument: Argument) => notes(argument.description, argument.argChoices, argument.defaultValue, argument.defaultValueDescription),
    displayWidth: (s: string) => displayWidth(s.replace(/\x1b\[\d*(;\d+)*m/g, '')),
    boxWrap(this: Help, text: string, width: number): string {
      if (width < this.minWidthToWrap) return text;
      return text
        .split(/\r?\n/)
        .flatMap((line) => {
          const chunks = line.match(WRAP_CHUNK);
          if (!chunks) return [''];
          const lines: string[] = [];
          let current = chunks.shift()!;
          for (const chunk of chunks) {
            if (this.displayWidth(current + chunk) <= width) current += chunk;
            else {
              lines.push(current);
              current = chunk.trimStart();
            }
          }
          return [...lines, current];
        })
        .join('\n');
    },
  } as HelpConfiguration;
}
