/**
 * A small zip reader for `.npz` calibration archives: lists entries from the central
 * directory and extracts stored or deflated ones, checking every offset against the
 * bytes and every entry's size and CRC-32. Zip64 archives (an entry, the archive or the
 * central directory at 4 GiB or more, or 65,535 entries or more), encrypted entries,
 * multi-disk archives and other compression methods are refused with E_UNSUPPORTED.
 *
 * Sizes come from the central directory only: NumPy's `savez` writes every local header
 * in zip64 form (sizes 0xFFFFFFFF and a zip64 extra field) even for small arrays, so
 * local headers are read for the name and extra lengths alone.
 *
 * Example: `listZip(bytes, 'calib.npz')` of `np.savez(f, input_ids=ids)` is one entry
 * named `input_ids.npy`; `unzipEntry(bytes, entry, 'calib.npz')` is its .npy bytes.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { QtkError } from '@qtk/core';

/** One file in a zip archive, as its central directory describes it. */
export interface ZipEntry {
  name: string;
  /** 0: stored, 8: deflated. */
  method: 0 | 8;
  compressedSize: number;
  size: number;
  crc: number;
  /** Byte offset of the entry's local header. */
  localOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const EOCD_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
const MAX_COMMENT = 0xffff;
/** 16-bit and 32-bit fields set to all ones mean "see the zip64 record". */
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;

function fail(file: string, message: string, offset: number, code: 'E_CALIB_DATA' | 'E_UNSUPPORTED' = 'E_CALIB_DATA'): never {
  throw new QtkError(code, `${file}: ${message}`, { file, offset });
}

/** Reads unsigned little-endian fields, failing (naming the field) past the end of the bytes. */
class Reader {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array, readonly file: string) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(offset: number, length: number, what: string): void {
    if (offset < 0 || offset + length > this.bytes.length) fail(this.file, `zip ${what} at byte ${offset} runs past the end of the file (${this.bytes.length} bytes)`, offset);
  }
  u16(offset: number): number {
    return this.view.getUint16(offset, true);
  }
  u32(offset: number): number {
    return this.view.getUint32(offset, true);
  }
}

/** Offset of the end-of-central-directory record: the last signature whose comment ends the file. */
function findEnd(r: Reader): number {
  const last = r.bytes.length - EOCD_SIZE;
  for (let at = last; at >= Math.max(0, last - MAX_COMMENT); at--) {
    if (r.u32(at) === EOCD && at + EOCD_SIZE + r.u16(at + 20) === r.bytes.length) return at;
  }
  return fail(r.file, 'not a zip archive (no end of central directory record); a .npz is a zip of .npy files', Math.max(0, last));
}

/** The entries of zip `bytes`, in central directory order; `file` names the archive in errors. */
export function listZip(bytes: Uint8Array, file: string): ZipEntry[] {
  const r = new Reader(bytes, file);
  if (bytes.length < EOCD_SIZE) fail(file, `not a zip archive: ${bytes.length} bytes is shorter than an end of central directory record`, 0);
  const end = findEnd(r);
  if (end >= 20 && r.u32(end - 20) === ZIP64_LOCATOR) fail(file, `zip64 archive (locator at byte ${end - 20}); archives of 4 GiB or more are not read`, end - 20, 'E_UNSUPPORTED');
  const [disk, cdDisk, onDisk, count, cdSize, cdOffset] = [r.u16(end + 4), r.u16(end + 6), r.u16(end + 8), r.u16(end + 10), r.u32(end + 12), r.u32(end + 16)];
  if (count === U16_MAX || cdSize === U32_MAX || cdOffset === U32_MAX) fail(file, `zip64 archive (end record at byte ${end}); archives of 4 GiB or 65,535 entries or more are not read`, end, 'E_UNSUPPORTED');
  if (disk !== 0 || cdDisk !== 0 || onDisk !== count) fail(file, `multi-disk zip archive (end record at byte ${end}) is not read`, end, 'E_UNSUPPORTED');
  if (cdOffset + cdSize > end) fail(file, `zip central directory (${cdSize} bytes at byte ${cdOffset}) overlaps the end record at byte ${end}`, cdOffset);

  const entries: ZipEntry[] = [];
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    r.need(at, CENTRAL_SIZE, `central directory entry ${i}`);
    if (r.u32(at) !== CENTRAL) fail(file, `zip central directory entry ${i} at byte ${at} has a bad signature`, at);
    const flags = r.u16(at + 8);
    const method = r.u16(at + 10);
    const crc = r.u32(at + 16);
    const compressedSize = r.u32(at + 20);
    const size = r.u32(at + 24);
    const nameLength = r.u16(at + 28);
    const next = at + CENTRAL_SIZE + nameLength + r.u16(at + 30) + r.u16(at + 32);
    const localOffset = r.u32(at + 42);
    r.need(at + CENTRAL_SIZE, nameLength, `name of entry ${i}`);
    const name = new TextDecoder('utf-8').decode(bytes.subarray(at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLength));
    const entry = `zip entry '${name}' (central directory at byte ${at})`;
    if (flags & 0x41) fail(file, `${entry} is encrypted; encrypted archives are not read`, at, 'E_UNSUPPORTED');
    if (compressedSize === U32_MAX || size === U32_MAX || localOffset === U32_MAX || r.u16(at + 34) === U16_MAX) {
      fail(file, `${entry} needs zip64 (4 GiB or more); it is not read`, at, 'E_UNSUPPORTED');
    }
    if (method !== 0 && method !== 8) fail(file, `${entry} uses compression method ${method}; only stored (0) and deflated (8) entries are read`, at, 'E_UNSUPPORTED');
    if (method === 0 && compressedSize !== size) fail(file, `${entry} is stored but its sizes differ (${compressedSize} vs ${size})`, at);
    entries.push({ name, method, compressedSize, size, crc, localOffset });
    at = next;
  }
  if (at > cdOffset + cdSize) fail(file, `zip central directory entries run past its size (${cdSize} bytes at byte ${cdOffset})`, cdOffset);
  return entries;
}

/** The uncompressed bytes of `entry` of zip `bytes`; checks its local header, size and CRC-32. */
export function unzipEntry(bytes: Uint8Array, entry: ZipEntry, file: string): Uint8Array {
  const r = new Reader(bytes, file);
  const at = entry.localOffset;
  const what = `zip entry '${entry.name}' (local header at byte ${at})`;
  r.need(at, LOCAL_SIZE, `local header of '${entry.name}'`);
  if (r.u32(at) !== LOCAL) fail(file, `${what} has a bad signature`, at);
  const start = at + LOCAL_SIZE + r.u16(at + 26) + r.u16(at + 28);
  r.need(start, entry.compressedSize, `data of '${entry.name}' (${entry.compressedSize} bytes)`);
  const raw = bytes.subarray(start, start + entry.compressedSize);
  let data: Uint8Array;
  if (entry.method === 0) {
    data = raw;
  } else {
    try {
      // Bounded by the size the central directory declares: a larger stream is an error, not a larger buffer.
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) });
    } catch (e) {
      throw new QtkError('E_CALIB_DATA', `${file}: cannot inflate ${what}: ${(e as Error).message}`, { file, offset: start }, { cause: e });
    }
  }
  if (data.length !== entry.size) fail(file, `${what} holds ${data.length} bytes, but the central directory says ${entry.size}`, start);
  if (crc32(data) !== entry.crc) fail(file, `${what} fails its CRC-32 check (the archive is corrupt)`, start);
  return data;
}
