import { usageError } from '../errors.js';

/** A device name longer than this (UTF-8 bytes) is refused: it becomes a folder name under `restore --to`. */
const MAX_BYTES = 128;

/**
 * The name a device's places are recorded under (`archive --device-name`, PICVAULT_DEVICE, the
 * host name). It becomes a folder name under `restore --to DIR` on any system, and the manifests
 * keep it forever, so it must be one: not empty, not `.` or `..`, no path separator, no character
 * Windows refuses in a name, no control character, no space at either end.
 */
export function checkDeviceName(name: string): string {
  const bad =
    name.trim() === '' ||
    name !== name.trim() ||
    name === '.' ||
    name === '..' ||
    /[\\/<>:"|?*\u0000-\u001f\u007f]/.test(name) ||
    Buffer.byteLength(name) > MAX_BYTES;
  if (bad) throw usageError('device.bad', { name: JSON.stringify(name) });
  return name;
}
