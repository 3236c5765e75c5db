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

/**
 * System errors that stop a run for a reason the user can fix (a full or read-only disk, a
 * missing permission, a failing drive). Each is said in words by its message `io.<code>` (the
 * `{errno}` placeholder); SQLite says "full" its own way.
 */
const STOP_CODES = new Set(['ENOSPC', 'SQLITE_FULL', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EIO', 'EMFILE', 'ENFILE', 'EBUSY']);

/**
 * What stopped a run, when it was the system: the errno code and the path where Node knows it.
 * Archive, restore and clean are safe to stop anywhere (SPEC invariant 2), so the user is told
 * what to fix rather than shown an "unexpected" failure.
 */
export function systemStop(err: unknown): { code: string; path?: string } | null {
  const code = errnoCode(err);
  if (!code || !STOP_CODES.has(code)) return null;
  const p = (err as { path?: unknown }).path;
  return { code, ...(typeof p === 'string' && { path: p }) };
}
