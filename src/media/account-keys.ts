/**
 * One WeChat 4.x tail XOR key per account, as public decoders keep it: learned from the account's
 * files whose own end marker confirms it (its `_t.dat` thumbnails are JPEGs that end in FF D9),
 * and then used for its files that have no end marker (a WebP, a truncated JPEG). Two files of one
 * account that confirm different keys make the account's key unknown: nothing is guessed from it.
 * Per run and in memory: a few bytes per account.
 */
export class AccountXorKeys {
  private readonly keys = new Map<string, number | 'conflict'>();

  learn(account: string, key: number): void {
    const known = this.keys.get(account);
    if (known === undefined) this.keys.set(account, key);
    else if (known !== key) this.keys.set(account, 'conflict');
  }

  /** The account's key, when its files agree on one. */
  get(account: string | null | undefined): number | undefined {
    const known = account ? this.keys.get(account) : undefined;
    return known === 'conflict' ? undefined : known;
  }
}
