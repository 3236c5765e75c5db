import type { Command } from 'commander';
import { usageError } from '../errors.js';

/**
 * A path that only means something on Windows: a drive letter (`D:\backup`, `D:`), a UNC share
 * (`\\nas\photos`), or backslashes. On Linux or macOS such a string is a legal file name, so
 * `mkdir` would make a folder literally named `D:\backup`: it is refused instead (SPEC).
 */
export function isWindowsOnlyPath(p: string, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'win32') return false;
  return /^[a-z]:/i.test(p) || p.includes('\\');
}

export function refuseWindowsOnly(flag: string, value: string, platform: NodeJS.Platform = process.platform): void {
  if (isWindowsOnlyPath(value, platform)) {
    throw usageError('path.windowsOnly', { flag, value, system: platform === 'darwin' ? 'macOS' : 'Linux' });
  }
}

/** Options whose value is a path say so in their placeholder: `--to <vault>`, `--preview <file>`, `--dir <dir>`. */
const PATH_PLACEHOLDER = /<(?:vault|dir|file|folder)(?:\.\.\.)?>/;
/** Arguments that are paths are named for it: `[source...]`. */
const PATH_ARGUMENT = /^(?:source|vault|dir|file|folder)$/;

/**
 * Every path a command was given, checked before it runs: a command added later is covered by
 * naming its path options and arguments as above.
 */
export function refuseWindowsOnlyPaths(cmd: Command, platform: NodeJS.Platform = process.platform): void {
  for (const option of cmd.options) {
    if (!PATH_PLACEHOLDER.test(option.flags)) continue;
    const value: unknown = cmd.getOptionValue(option.attributeName());
    for (const v of [value].flat()) if (typeof v === 'string') refuseWindowsOnly(option.long ?? option.flags, v, platform);
  }
  cmd.registeredArguments.forEach((argument, i) => {
    if (!PATH_ARGUMENT.test(argument.name())) return;
    for (const v of [cmd.processedArgs[i] as unknown].flat()) if (typeof v === 'string') refuseWindowsOnly(argument.name().toUpperCase(), v, platform);
  });
}
