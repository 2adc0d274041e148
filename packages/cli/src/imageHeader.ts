/**
 * Image dimensions from the header alone, so an image can be refused before it is
 * decoded: PNG from its IHDR chunk, JPEG from its first start-of-frame segment (SOF0
 * baseline, SOF2 progressive and the other SOFn). A 875 KB PNG can declare 30000x30000
 * pixels; its header says so in the first 24 bytes.
 *
 * Example: the bytes of a 640x480 PNG give `{ width: 640, height: 480 }`.
 */

/** Width and height in pixels as the header declares them. */
export interface ImageSize {
  width: number;
  height: number;
}

const IHDR = [0x49, 0x48, 0x44, 0x52];

/** PNG dimensions from the IHDR chunk that must come first; undefined when it is missing or cut short. */
export function pngSize(bytes: Uint8Array): ImageSize | undefined {
  if (bytes.length < 24 || !IHDR.every((b, i) => bytes[12 + i] === b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** True for the start-of-frame markers: 0xC0 to 0xCF less DHT (C4), JPG (C8) and DAC (CC). */
const isStartOfFrame = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/**
 * JPEG dimensions from the first start-of-frame segment, walking the segments after SOI;
 * undefined when scan data (SOS) or the end comes first, or the segments are cut short.
 */
export function jpegSize(bytes: Uint8Array): ImageSize | undefined {
  let i = 2;
  while (i + 3 < bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const m = bytes[i + 1]!;
    if (m === 0xff) { i++; continue; } // fill byte
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd7)) { i += 2; continue; } // markers without a length
    if (m === 0xd9 || m === 0xda) return undefined;
    const len = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (isStartOfFrame(m)) {
      if (i + 8 >= bytes.length || len < 7) return undefined;
      return { height: (bytes[i + 5]! << 8) | bytes[i + 6]!, width: (bytes[i + 7]! << 8) | bytes[i + 8]! };
    }
    if (len < 2) return undefined;
    i += 2 + len;
  }
  return undefined;
}
