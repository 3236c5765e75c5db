import type { NoPictureWords } from '../../core/preview.js';
import type { CliContext } from '../context.js';

/** A preview tile with no picture, in the user's language: its type, then why. */
export const noPictureWords = (ctx: CliContext): NoPictureWords => (type, why) => [type, ctx.t(`preview.${why}`)];
