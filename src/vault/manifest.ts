import * as v from 'valibot';
import { recipeProblem, type DatRecipe } from '../media/dat.js';
import type { DateRule } from '../media/dating.js';
import type { ImageExt } from '../media/sniff.js';
import { IMAGE_KINDS, SOURCE_KINDS } from '../sources/types.js';

/**
 * The manifest every zip carries as its last entry: enough to rebuild the catalogue from the
 * archives alone (SPEC invariant 3). It lists the images stored in this zip and every place
 * (location) recorded by the run that wrote it, including places of images stored in earlier
 * zips: a zip may hold no image at all and only record where known images were seen again.
 *
 * A manifest is read from a file anyone could have altered, so it is checked against the schema
 * below before anything uses it (docs/decisions.md, "Manifests are checked against a schema"):
 * the types are derived from the schema, so a field added to the manifest is added here, once.
 */
export const MANIFEST_ENTRY = 'picvault-manifest.json';
export const MANIFEST_FORMAT = 'picvault-manifest';
/**
 * 2: places may carry a file hash and a recipe (SPEC "Picture identity"). A program that knows
 * only 1 refuses such a manifest rather than read a .dat's place as its picture.
 */
export const MANIFEST_VERSION = 2;
/**
 * The largest manifest read, inflated. A slice's manifest (2 000 places at most, MONTH_SLICE) is
 * one or two MB; 32 MiB holds about 80 000 places, and parsing one that size costs about 100 MB.
 * A zip whose manifest inflates past it (a 1.5 MB zip can hold a 1.5 GB one) is damaged.
 */
export const MANIFEST_LIMIT = 32 * 1024 * 1024;

const HASH = /^[0-9a-f]{16}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const STAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
/** An entry's extension: a short lowercase token (the sniffed type). */
const EXT = /^[a-z0-9]{1,8}$/;
const DATE_RULES = ['exif', 'folder', 'file-time'] as const satisfies readonly DateRule[];

const hash = v.pipe(v.string(), v.regex(HASH, 'expected 16 lowercase hex digits'));
const month = v.pipe(v.string(), v.regex(MONTH, 'expected YYYY-MM'));
const size = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const time = v.pipe(v.number(), v.finite());
const ext = v.custom<ImageExt>((x) => typeof x === 'string' && EXT.test(x), 'expected a short lowercase extension');
/** A name or path: text with no NUL, which no file system allows and which would cut a path short. */
const text = v.pipe(v.string(), v.check((s) => !s.includes('\0'), 'contains NUL'));
const name = v.pipe(text, v.minLength(1));

const imageEntries = {
  hash,
  size,
  ext,
  entry: v.string(),
  /** For a WeChat .dat: the type of the image inside, when it could be decoded. */
  decodedExt: v.nullish(ext),
};

const locationEntries = {
  hash,
  size,
  device: name,
  source: v.picklist(SOURCE_KINDS),
  kind: v.picklist(IMAGE_KINDS),
  account: v.optional(text),
  chat: v.optional(text),
  root: name,
  path: name,
  mtimeMs: time,
  birthtimeMs: time,
  taken: v.pipe(v.string(), v.regex(STAMP, 'expected YYYY-MM-DD HH:MM:SS')),
  month,
  dateRule: v.picklist(DATE_RULES),
  exifDate: v.nullable(v.string()),
  /**
   * For a WeChat .dat stored as its picture (`hash`): the xxh64 of the file itself, and the recipe
   * that rebuilds it from the picture (media/dat.ts). Absent for every other place: its file is its
   * picture. A recipe is checked for its shape here; that it rebuilds the file is proven by hash
   * wherever it is used (media/picture-identity.ts).
   */
  fileHash: v.optional(hash),
  recipe: v.optional(
    v.pipe(
      v.unknown(),
      v.rawCheck(({ dataset, addIssue }) => {
        const problem = dataset.typed ? recipeProblem(dataset.value) : null;
        if (problem) addIssue({ message: `not a recipe: ${problem}` });
      }),
      v.transform((r) => r as DatRecipe),
    ),
  ),
};

export type ManifestImage = v.InferOutput<v.ObjectSchema<typeof imageEntries, undefined>>;
export type ManifestLocation = v.InferOutput<v.ObjectSchema<typeof locationEntries, undefined>>;

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: number;
  month: string;
  createdAt: string;
  images: ManifestImage[];
  locations: ManifestLocation[];
}

// Loose objects keep fields this program does not know (a newer picvault's, of the same version):
// they pass through unread rather than being dropped on the way to the catalogue.
const schema = v.looseObject({
  format: v.literal(MANIFEST_FORMAT),
  version: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MANIFEST_VERSION, `expected version ${MANIFEST_VERSION} or older`)),
  month,
  createdAt: v.pipe(v.string(), v.isoTimestamp()),
  images: v.array(
    v.pipe(
      v.looseObject(imageEntries),
      // The entry is found by this name; nothing else may stand in it.
      v.check((img) => img.entry === entryName(img.hash, img.ext), 'entry is not <hash>.<ext>'),
    ),
  ),
  locations: v.array(
    v.pipe(
      v.looseObject(locationEntries),
      v.check((l) => (l.fileHash === undefined) === (l.recipe === undefined), 'fileHash and recipe come together or not at all'),
    ),
  ),
});

export const entryName = (hash: string, ext: string) => `${hash}.${ext}`;

/** An image entry's name taken apart: its hash and extension, or null when it is not one. */
export function parseEntryName(entry: string): { hash: string; ext: ImageExt } | null {
  const dot = entry.indexOf('.');
  const h = entry.slice(0, dot);
  const e = entry.slice(dot + 1);
  return dot === 16 && HASH.test(h) && EXT.test(e) ? { hash: h, ext: e as ImageExt } : null;
}

export class ManifestError extends Error {}

/** Issues shown of a manifest that does not fit the schema: enough to see what is wrong. */
const ISSUES_SHOWN = 3;

/** Parses and checks a manifest; a zip whose manifest does not parse or fit the schema is damaged. */
export function parseManifest(bytes: Buffer): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new ManifestError(`manifest is not JSON (${(err as Error).message})`);
  }
  const format = (json as { format?: unknown } | null)?.format;
  if (format !== MANIFEST_FORMAT) throw new ManifestError('not a picvault manifest');
  const parsed = v.safeParse(schema, json);
  if (!parsed.success) {
    const said = parsed.issues.slice(0, ISSUES_SHOWN).map((i) => `${v.getDotPath(i) ?? '(manifest)'}: ${i.message}`);
    const more = parsed.issues.length > ISSUES_SHOWN ? `; ${parsed.issues.length - ISSUES_SHOWN} more` : '';
    throw new ManifestError(`manifest does not fit its schema: ${said.join('; ')}${more}`);
  }
  return parsed.output as Manifest;
}
