/**
 * Test helper: zip archives (and so .npz files) written in memory, stored or deflated,
 * with local headers in NumPy's zip64 form when asked, and fields that can be forced to
 * build archives the reader must refuse.
 */
import { crc32, deflateRawSync } from 'node:zlib';

/** One file to put in the archive. */
export interface ZipFileSpec {
  name: string;
  data: Uint8Array;
  /** Deflate the data (method 8) instead of storing it (method 0). */
  deflate?: boolean;
  /** Write the local header as NumPy's `savez` does: sizes 0xFFFFFFFF and a zip64 extra field. */
  zip64Local?: boolean;
  /** General-purpose flags in both headers (bit 0: encrypted). */
  flags?: number;
  /** Compression method to write in place of the real one. */
  method?: number;
  /** Uncompressed size to write in the central directory in place of the real one. */
  centralSize?: number;
}

/** Little-endian bytes: `le(2, v)` is a u16, `le(4, v)` a u32, `le(8, v)` a u64 below 2^53. */
function le(width: 2 | 4 | 8, v: number): number[] {
  return Array.from({ length: width }, (_, i) => Math.floor(v / 2 ** (8 * i)) % 256);
}

/** The bytes of a zip archive holding `files`, in order. */
export function writeZip(files: readonly ZipFileSpec[]): Uint8Array {
  const local: number[] = [];
  const central: number[] = [];
  for (const f of files) {
    const name = [...new TextEncoder().encode(f.name)];
    const body = f.deflate ? new Uint8Array(deflateRawSync(f.data)) : f.data;
    const method = f.method ?? (f.deflate ? 8 : 0);
    const crc = crc32(f.data);
    const common = [...le(2, f.flags ?? 0), ...le(2, method), ...le(2, 0), ...le(2, 0x21), ...le(4, crc)];
    const offset = local.length;
    const extra = f.zip64Local ? [...le(2, 1), ...le(2, 16), ...le(8, f.data.length), ...le(8, body.length)] : [];
    const sizes = f.zip64Local ? [...le(4, 0xffffffff), ...le(4, 0xffffffff)] : [...le(4, body.length), ...le(4, f.data.length)];
    local.push(...le(4, 0x04034b50), ...le(2, f.zip64Local ? 45 : 20), ...common, ...sizes, ...le(2, name.length), ...le(2, extra.length), ...name, ...extra, ...body);
    central.push(
      ...le(4, 0x02014b50), ...le(2, 45), ...le(2, 20), ...common, ...le(4, body.length), ...le(4, f.centralSize ?? f.data.length),
      ...le(2, name.length), ...le(2, 0), ...le(2, 0), ...le(2, 0), ...le(2, 0), ...le(4, 0), ...le(4, offset), ...name,
    );
  }
  const end = [...le(4, 0x06054b50), ...le(2, 0), ...le(2, 0), ...le(2, files.length), ...le(2, files.length), ...le(4, central.length), ...le(4, local.length), ...le(2, 0)];
  return Uint8Array.from([...local, ...central, ...end]);
}
