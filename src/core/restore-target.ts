import path from 'node:path';
import { isInside } from '../sources/protected.js';

/**
 * Where a restored file goes. Catalogued paths come from other machines and from zips that may
 * have been tampered with, so they are never trusted: they are taken apart into names, each name
 * is cleaned, and the result is checked to lie inside the destination (SPEC invariant 4).
 */

/** Which flavour a catalogued path was written in, whatever platform reads it now. */
export function flavourOf(p: string): path.PlatformPath {
  return /^[A-Za-z]:[\\/]/.test(p) || /^[\\/]{2}[^\\/]/.test(p) ? path.win32 : path.posix;
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/** One path component made safe to create on this platform; null for what must be dropped. */
export function cleanName(name: string, target: path.PlatformPath = path): string | null {
  if (name === '' || name === '.' || name === '..') return null;
  if (target === path.win32) {
    let n = name.replace(/[<>:"|?*\u0000-\u001f]/g, '_').replace(/[. ]+$/, '');
    if (WINDOWS_RESERVED.test(n)) n = `_${n}`;
    return n === '' || n === '..' ? null : n;
  }
  const n = name.replace(/\u0000/g, '_');
  return n === '..' ? null : n;
}

/** The names of a catalogued path: drive letter or UNC server/share first, then the folders. */
export function pathNames(catalogued: string): string[] {
  const flavour = flavourOf(catalogued);
  const parts = catalogued.split(flavour === path.win32 ? /[\\/]+/ : /\/+/).filter(Boolean);
  if (flavour === path.win32 && /^[A-Za-z]:$/.test(parts[0] ?? '')) parts[0] = parts[0][0].toUpperCase();
  return parts;
}

/**
 * `restore --to DIR`: DIR/<device>/<the original path, its drive or root as the first folder>.
 * A mirror of the original tree is collision-free by construction (device and path identify a
 * place) and tells the user where each file came from. null if nothing safe remains.
 */
export function targetUnder(dir: string, device: string, catalogued: string, target: path.PlatformPath = path): string | null {
  const names = [device, ...pathNames(catalogued)].map((n) => cleanName(n, target));
  if (names.length < 2 || names.some((n) => n === null)) return null;
  const out = target.join(dir, ...(names as string[]));
  return isInside(dir, out, target) && out !== target.normalize(dir) ? out : null;
}

/**
 * Restore to the original place: only an absolute, normalised path in this platform's flavour,
 * inside the source root it was archived from. Anything else (`..`, another flavour, a path
 * outside its root) is refused.
 */
export function originalTarget(root: string, catalogued: string, target: path.PlatformPath = path): string | null {
  if (!target.isAbsolute(catalogued) || !target.isAbsolute(root)) return null;
  if (flavourOf(catalogued) !== target || flavourOf(root) !== target) return null;
  if (target.normalize(catalogued) !== catalogued) return null;
  if (catalogued.split(/[\\/]/).some((n) => n === '..')) return null;
  return isInside(root, catalogued, target) && catalogued !== root ? catalogued : null;
}

/**
 * Of the folders an in-place restore may write in (see restore.ts), the one holding `target`, or
 * null. On Windows the comparison ignores case, as the file system does.
 */
export function folderHolding(folders: readonly string[], target: string, flavour: path.PlatformPath = path): string | null {
  return folders.find((f) => flavour.isAbsolute(f) && isInside(f, target, flavour)) ?? null;
}

/** file.jpg → file~1a2b3c.jpg: a second version of the same place under --to. */
export function withHashSuffix(p: string, hash: string, target: path.PlatformPath = path): string {
  const ext = target.extname(p);
  return `${p.slice(0, p.length - ext.length)}~${hash.slice(0, 8)}${ext}`;
}

/** A decoded WeChat picture's name: its .dat's name with the picture's own extension. */
export const withPictureExtension = (p: string, ext: string): string => p.replace(/\.dat$/i, '') + `.${ext}`;
