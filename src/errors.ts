/**
 * One error class for everything the user can act on. The core throws it with a message key and
 * parameters; the CLI turns the key into a sentence in the user's language and exits with the code.
 * Anything else that escapes is a bug and is reported as such (exit 1).
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  partial: 3,
  damaged: 4,
  notVault: 10,
  locked: 11,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class PicvaultError extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
    readonly exitCode: ExitCode = EXIT.failed,
  ) {
    super(`${key} ${JSON.stringify(params)}`);
    this.name = 'PicvaultError';
  }
}

export const usageError = (key: string, params: Record<string, string | number> = {}) =>
  new PicvaultError(key, params, EXIT.usage);

/** The errno code of a Node system error, if it is one. */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}
