import { describe, expect, it } from 'vitest';
import { Tensor, encodeNpy } from '@qtk/core';
import { parseNpz } from './npzArchive.js';
import { listZip, unzipEntry } from './zipReader.js';
import { writeZip } from './test-support/zipWriter.js';
import { catchQtkError } from './test-support/qtkErrors.js';

const ids = Tensor.int64([101, 7, 8, 102, 101, 9, 102, 0], [2, 4]);
const mask = Tensor.int64([1, 1, 1, 1, 1, 1, 1, 0], [2, 4]);
/** Compressible float data: 64 repeats of one row. */
const pixels = Tensor.fromFloat32(Float32Array.from({ length: 1024 }, (_, i) => (i % 16) / 16), [64, 16]);

describe('zip reader', () => {
  it('lists entries from the central directory and extracts stored and deflated ones byte for byte', () => {
    const a = encodeNpy(ids);
    const b = encodeNpy(pixels);
    const zip = writeZip([{ name: 'a.npy', data: a }, { name: 'b.npy', data: b, deflate: true }]);
    const entries = listZip(zip, 'x.npz');
    expect(entries.map((e) => [e.name, e.method, e.size])).toEqual([['a.npy', 0, a.length], ['b.npy', 8, b.length]]);
    expect(entries[1]!.compressedSize).toBeLessThan(b.length / 4);
    expect(Buffer.compare(unzipEntry(zip, entries[0]!, 'x.npz'), a)).toBe(0);
    expect(Buffer.compare(unzipEntry(zip, entries[1]!, 'x.npz'), b)).toBe(0);
  });

  it("reads NumPy's zip64-form local headers, taking the sizes from the central directory", () => {
    const a = encodeNpy(ids);
    const zip = writeZip([{ name: 'a.npy', data: a, zip64Local: true }, { name: 'b.npy', data: a, zip64Local: true, deflate: true }]);
    expect(listZip(zip, 'x.npz').map((e) => Buffer.compare(unzipEntry(zip, e, 'x.npz'), a))).toEqual([0, 0]);
  });

  it('refuses encrypted entries, other compression methods and zip64 sizes in the central directory, naming the entry', () => {
    const data = encodeNpy(ids);
    const at = 30 + 'a.npy'.length + data.length; // the central directory follows the one local entry
    const encrypted = catchQtkError(() => listZip(writeZip([{ name: 'a.npy', data, flags: 1 }]), 'x.npz'));
    expect([encrypted.code, encrypted.message]).toEqual(['E_UNSUPPORTED', `x.npz: zip entry 'a.npy' (central directory at byte ${at}) is encrypted; encrypted archives are not read`]);
    expect(catchQtkError(() => listZip(writeZip([{ name: 'a.npy', data, method: 14 }]), 'x.npz')).message).toContain(`'a.npy' (central directory at byte ${at}) uses compression method 14; only stored (0) and deflated (8)`);
    const zip64 = catchQtkError(() => listZip(writeZip([{ name: 'a.npy', data, centralSize: 0xffffffff }]), 'x.npz'));
    expect([zip64.code, zip64.message]).toEqual(['E_UNSUPPORTED', `x.npz: zip entry 'a.npy' (central directory at byte ${at}) needs zip64 (4 GiB or more); it is not read`]);
  });

  it('a truncated archive, a wrong size and a corrupted byte are E_CALIB_DATA saying what is wrong', () => {
    const data = encodeNpy(pixels);
    const zip = writeZip([{ name: 'p.npy', data, deflate: true }]);
    expect(catchQtkError(() => listZip(zip.subarray(0, zip.length - 5), 'x.npz')).message).toContain('not a zip archive (no end of central directory record)');
    const wrongSize = writeZip([{ name: 'p.npy', data, deflate: true, centralSize: data.length - 1 }]);
    const e = catchQtkError(() => unzipEntry(wrongSize, listZip(wrongSize, 'x.npz')[0]!, 'x.npz'));
    expect([e.code, e.message]).toEqual(['E_CALIB_DATA', expect.stringContaining("cannot inflate zip entry 'p.npy' (local header at byte 0)")]);
    const stored = writeZip([{ name: 'p.npy', data }]);
    stored[200] ^= 0xff;
    expect(catchQtkError(() => unzipEntry(stored, listZip(stored, 'x.npz')[0]!, 'x.npz')).message).toBe("x.npz: zip entry 'p.npy' (local header at byte 0) fails its CRC-32 check (the archive is corrupt)");
  });
});

describe('.npz archives', () => {
  it('reads one array per NAME.npy entry, stored or deflated, keyed by NAME', () => {
    const bytes = writeZip([{ name: 'input_ids.npy', data: encodeNpy(ids), zip64Local: true }, { name: 'attention_mask.npy', data: encodeNpy(mask), deflate: true }]);
    const arrays = parseNpz(bytes, 'calib.npz');
    expect(arrays.map((a) => [a.name, a.tensor.dtype, a.tensor.dims, a.tensor.toNumbers()])).toEqual([
      ['input_ids', 'int64', [2, 4], ids.toNumbers()],
      ['attention_mask', 'int64', [2, 4], mask.toNumbers()],
    ]);
  });

  it('an entry that is not .npy, a broken array and an empty archive are named', () => {
    expect(catchQtkError(() => parseNpz(writeZip([{ name: 'notes.txt', data: new Uint8Array(3) }]), 'c.npz')).message).toBe("c.npz: entry 'notes.txt' is not a .npy array; a .npz holds one NAME.npy per array");
    expect(catchQtkError(() => parseNpz(writeZip([{ name: 'x.npy', data: new Uint8Array(12) }]), 'c.npz')).message).toContain('c.npz:x.npy: not a .npy file: bad magic at byte 0');
    expect(catchQtkError(() => parseNpz(writeZip([]), 'c.npz')).message).toBe('c.npz: the .npz archive holds no arrays');
  });
});
