import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeDat3, encodeDatV4 } from '../src/media/dat.js';
import { hash64 } from '../src/media/hash.js';
import { pictureBytes, shownPicture, shownType } from '../src/media/picture.js';
import { noisyImage } from './helpers/images.js';

/** What dedupe knew of a file before it hashed a 3.x .dat piece by piece: the picture decoded whole, then hashed. */
async function decodedWhole(bytes: Buffer, isDat: boolean, wechatKey?: string) {
  const picture = await pictureBytes(bytes, isDat, (n) => Buffer.alloc(n), wechatKey);
  return { picture: hash64(picture), pictureSize: picture.length, ext: await shownType(picture, bytes, isDat) };
}

test('a .dat\'s picture hashed a piece at a time is the picture decoded whole, at every size around a piece, aligned or not', async () => {
  const piece = Buffer.alloc(4096);
  const jpeg = await noisyImage(7, 'jpeg', 200);
  const png = await noisyImage(8, 'png', 60);
  assert.ok(jpeg.length > 3 * piece.length);
  // Cut to lengths around the piece's (a truncated JPEG still sniffs as one), then shifted by a byte
  // so that the XOR cannot run eight bytes at a time.
  const lengths = [12, piece.length - 1, piece.length, piece.length + 1, 2 * piece.length + 5, jpeg.length];
  for (const image of [...lengths.map((n) => jpeg.subarray(0, n)), png]) {
    for (const key of [0x9f, 0x51]) {
      for (const shift of [0, 1]) {
        const dat = Buffer.concat([Buffer.alloc(shift), encodeDat3(image, key)]).subarray(shift);
        const shown = await shownPicture(dat, hash64(dat), true, piece);
        assert.deepEqual(shown, await decodedWhole(dat, true), `${image.length} bytes, key ${key}, shifted ${shift}`);
        assert.equal(shown.picture, hash64(image), 'the plain image\'s own hash');
      }
    }
  }
  // What shows itself: a plain image, a .dat no key decodes, a 4.x one (decoded whole), a .dat
  // whose key fits a signature but whose picture is no type picvault stores.
  const blob = Buffer.from('not a picture at all, nor a .dat of one');
  const v4 = encodeDatV4(jpeg, 1);
  const bmpLike = encodeDat3(Buffer.from('BM\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a', 'latin1'), 0x33);
  for (const [bytes, isDat] of [[jpeg, false], [jpeg, true], [blob, true], [blob, false], [v4, true], [bmpLike, true]] as const) {
    assert.deepEqual(await shownPicture(bytes, hash64(bytes), isDat, piece), await decodedWhole(bytes, isDat));
  }
  assert.equal((await shownPicture(v4, hash64(v4), true, piece)).picture, hash64(jpeg));
});
