/**
 * A cache scale and its hex text: the big-endian IEEE-754 bits of a float32, as TensorRT
 * prints them (lowercase, no leading zeros: 1/127 is `3c010204`, 0.0 is `0`).
 */

const view = new DataView(new ArrayBuffer(4));

/** The float32 bits of `hex` (1 to 8 hex digits), or undefined when it is not such text. */
export function bitsOfHex(hex: string): number | undefined {
  return /^[0-9a-fA-F]{1,8}$/.test(hex) ? Number.parseInt(hex, 16) : undefined;
}

/** The float32 whose bits are `bits`: `scaleOfBits(0x3c010204)` is 1/127 as float32. */
export function scaleOfBits(bits: number): number {
  view.setUint32(0, bits);
  return view.getFloat32(0);
}

/** The float32 bits of `scale` (rounded to float32 first; every NaN gives 0x7fc00000). */
export function bitsOfScale(scale: number): number {
  view.setFloat32(0, scale);
  return view.getUint32(0);
}

/** TensorRT's text for `scale`: `hexOfScale(1 / 127)` is `'3c010204'`, `hexOfScale(0)` is `'0'`. */
export function hexOfScale(scale: number): string {
  return bitsOfScale(scale).toString(16);
}
