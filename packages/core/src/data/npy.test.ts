import { describe, expect, it } from 'vitest';
import { QtkError } from '../errors/QtkError.js';
import { Tensor } from '../ir/tensor.js';
import { encodeNpy, parseNpy, parseNpyHeader } from './npy.js';
import { catchQtkError } from '../test-support/expectQtkError.js';

// Files written by NumPy 2.4 (`np.save` / `np.lib.format.write_array(..., version=...)`), base64.
const NUMPY = {
  /** np.arange(6, dtype='<f4').reshape(2, 3) / 4, versions 1.0, 2.0, 3.0 */
  f4v1: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAPgAAAD8AAEA/AACAPwAAoD8=',
  f4v2: 'k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAPgAAAD8AAEA/AACAPwAAoD8=',
  f4v3: 'k05VTVBZAwB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAPgAAAD8AAEA/AACAPwAAoD8=',
  /** [1.5, -2.25, 1e300] */
  f8: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAD4PwAAAAAAAALAnHUAiDzkN34=',
  /** [[0, 255], [7, 8]] uint8 */
  u1: 'k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoA/wcI',
  /** [-128, 127, 0] int8 */
  i1: 'k05VTVBZAQB2AHsnZGVzY3InOiAnfGkxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAqAfwA=',
  /** [-1, 2**40] int64 */
  i8: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr//////////wAAAAAAAQAA',
  /** [-5, 6] int32 */
  i4: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr7////BgAAAA==',
  /** [1.0, -0.5, 65504] float16 */
  f2: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGYyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAPAC4/3s=',
  /** [True, False, True] */
  b1: 'k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAE=',
  /** np.float32(3.5), shape () */
  scalar: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAGBA',
  /** np.asfortranarray(np.arange(6, dtype='<f4').reshape(2, 3)) */
  fortran: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQAAAgD8AAIBAAAAAQAAAoEA=',
  /** np.arange(3, dtype='>f4') */
  bigEndian: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPmY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAP4AAAEAAAAA=',
};

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/** A .npy v1 file with `header` (padded to 64 bytes) and `data`. */
function npyV1(header: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  const h = header.padEnd(total - 11, ' ') + '\n';
  const out = new Uint8Array(total + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 0xff, h.length >> 8]);
  for (let i = 0; i < h.length; i++) out[10 + i] = h.charCodeAt(i);
  out.set(data, total);
  return out;
}


describe('parseNpy reads files written by NumPy', () => {
  it.each(['f4v1', 'f4v2', 'f4v3'] as const)('float32 2x3 in format %s', (k) => {
    const t = parseNpy(b64(NUMPY[k]));
    expect(t.dtype).toBe('float32');
    expect(t.dims).toEqual([2, 3]);
    expect(Array.from(t.data as Float32Array)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
  });

  it('header versions and data offsets match the format spec (v1: 10-byte prefix, v2/v3: 12)', () => {
    expect(parseNpyHeader(b64(NUMPY.f4v1))).toMatchObject({ version: [1, 0], descr: '<f4', fortranOrder: false, shape: [2, 3], dataOffset: 128 });
    expect(parseNpyHeader(b64(NUMPY.f4v2))).toMatchObject({ version: [2, 0], dataOffset: 128 });
    expect(parseNpyHeader(b64(NUMPY.f4v3))).toMatchObject({ version: [3, 0], dataOffset: 128 });
  });

  it('each supported dtype decodes to the values NumPy wrote', () => {
    const f8 = parseNpy(b64(NUMPY.f8));
    expect([f8.dtype, f8.dims, Array.from(f8.data as Float64Array)]).toEqual(['float64', [3], [1.5, -2.25, 1e300]]);
    const u1 = parseNpy(b64(NUMPY.u1));
    expect([u1.dtype, u1.dims, Array.from(u1.data as Uint8Array)]).toEqual(['uint8', [2, 2], [0, 255, 7, 8]]);
    const i1 = parseNpy(b64(NUMPY.i1));
    expect([i1.dtype, Array.from(i1.data as Int8Array)]).toEqual(['int8', [-128, 127, 0]]);
    const i8 = parseNpy(b64(NUMPY.i8));
    expect([i8.dtype, Array.from(i8.data as BigInt64Array)]).toEqual(['int64', [-1n, 2n ** 40n]]);
    const i4 = parseNpy(b64(NUMPY.i4));
    expect([i4.dtype, Array.from(i4.data as Int32Array)]).toEqual(['int32', [-5, 6]]);
    const f2 = parseNpy(b64(NUMPY.f2));
    expect([f2.dtype, f2.toNumbers()]).toEqual(['float16', [1, -0.5, 65504]]);
    const b1 = parseNpy(b64(NUMPY.b1));
    expect([b1.dtype, Array.from(b1.data as Uint8Array)]).toEqual(['bool', [1, 0, 1]]);
    const s = parseNpy(b64(NUMPY.scalar));
    expect([s.dims, s.get(0)]).toEqual([[], 3.5]);
  });

  it('accepts Python 2 long suffixes and double quotes in the header', () => {
    const t = parseNpy(npyV1(`{"descr": "<f4", "fortran_order": False, "shape": (2L,)}`, new Uint8Array(8)));
    expect(t.dims).toEqual([2]);
  });
});

describe('parseNpy refuses what it cannot read, naming the field and byte offset', () => {
  it('Fortran-order arrays are refused (E_UNSUPPORTED, field fortran_order)', () => {
    const e = catchQtkError(() => parseNpy(b64(NUMPY.fortran)));
    expect(e.code).toBe('E_UNSUPPORTED');
    expect(e.message).toContain("'fortran_order'");
  });

  it('big-endian multi-byte data is refused, naming the descr', () => {
    const e = catchQtkError(() => parseNpy(b64(NUMPY.bigEndian), 'x.npy'));
    expect(e.code).toBe('E_UNSUPPORTED');
    expect(e.message).toMatch(/^x\.npy: .*'descr' is '>f4'.*big-endian/);
    expect(e.where).toMatchObject({ file: 'x.npy', offset: 10 });
  });

  it('bad magic names byte offset 0', () => {
    const bytes = b64(NUMPY.f4v1);
    bytes[0] = 0x00;
    const e = catchQtkError(() => parseNpy(bytes));
    expect(e.code).toBe('E_CALIB_DATA');
    expect(e.where.offset).toBe(0);
    expect(e.message).toContain('bad magic at byte 0');
  });

  it('a header length past the end of the file names the length field at byte 8', () => {
    const bytes = b64(NUMPY.f4v1).subarray(0, 60);
    const e = catchQtkError(() => parseNpy(bytes));
    expect(e.where.offset).toBe(8);
    expect(e.message).toContain('header length field at byte 8');
  });

  it('an unknown format version is refused at byte 6', () => {
    const bytes = b64(NUMPY.f4v1);
    bytes[6] = 9;
    const e = catchQtkError(() => parseNpy(bytes));
    expect(e.code).toBe('E_UNSUPPORTED');
    expect(e.where.offset).toBe(6);
  });

  it('a missing shape field is named', () => {
    const e = catchQtkError(() => parseNpy(npyV1(`{'descr': '<f4', 'fortran_order': False, }`)));
    expect(e.code).toBe('E_CALIB_DATA');
    expect(e.message).toContain("field 'shape' is missing");
    expect(e.where.offset).toBe(10);
  });

  it('a syntax error in the header names the byte where it sits', () => {
    const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }`;
    const e = catchQtkError(() => parseNpy(npyV1(header)));
    expect(e.code).toBe('E_CALIB_DATA');
    expect(e.where.offset).toBe(10 + header.indexOf('x'));
    expect(e.message).toContain(`byte ${10 + header.indexOf('x')}`);
    expect(e.message).toContain("field 'shape'");
  });

  it('structured dtypes (descr as a list) are refused', () => {
    const e = catchQtkError(() => parseNpy(npyV1(`{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }`)));
    expect(e.message).toContain("field 'descr' is a list");
  });

  it('an unsupported dtype names the descr and the supported ones', () => {
    const e = catchQtkError(() => parseNpy(npyV1(`{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(8))));
    expect(e.code).toBe('E_UNSUPPORTED');
    expect(e.message).toContain("'<c8'");
    expect(e.message).toMatch(/supported: .*<f4/);
  });

  it('data shorter than the shape needs names the data offset and both byte counts', () => {
    const bytes = b64(NUMPY.f4v1).subarray(0, 128 + 20);
    const e = catchQtkError(() => parseNpy(bytes, 'cut.npy'));
    expect(e.code).toBe('E_CALIB_DATA');
    expect(e.where).toEqual({ file: 'cut.npy', offset: 128 });
    expect(e.message).toContain('has 20 bytes');
    expect(e.message).toContain('needs 24');
  });
});

describe('encodeNpy', () => {
  it('writes the same bytes NumPy writes for a float32 2x3 array', () => {
    const t = Tensor.fromFloat32(Float32Array.from([0, 0.25, 0.5, 0.75, 1, 1.25]), [2, 3]);
    expect(Buffer.from(encodeNpy(t)).toString('base64')).toBe(NUMPY.f4v1);
  });

  it('round-trips every supported dtype through parseNpy', () => {
    const cases = [
      new Tensor('float64', Float64Array.from([1e-300, -3]), [2]),
      new Tensor('uint8', Uint8Array.from([1, 2, 255]), [3, 1]),
      new Tensor('int8', Int8Array.from([-7]), [1]),
      new Tensor('int64', BigInt64Array.from([-(2n ** 60n), 5n]), [2]),
      new Tensor('int32', new Int32Array(0), [0, 4]),
      new Tensor('float16', Uint16Array.from([0x3c00, 0xb800]), [2]),
      new Tensor('bool', Uint8Array.from([0, 1]), [2]),
      Tensor.scalar('float32', 2.5),
    ];
    for (const t of cases) {
      const back = parseNpy(encodeNpy(t));
      expect(back.dtype).toBe(t.dtype);
      expect(back.dims).toEqual(t.dims);
      expect(Array.from(back.data as ArrayLike<number | bigint>)).toEqual(Array.from(t.data as ArrayLike<number | bigint>));
    }
  });

  it('pads the header so the data starts on a 64-byte boundary', () => {
    const h = parseNpyHeader(encodeNpy(Tensor.zeros('float32', [1797, 1, 8, 8])));
    expect(h.dataOffset % 64).toBe(0);
    expect(h.shape).toEqual([1797, 1, 8, 8]);
  });
});

describe('parseNpy checks the declared size before allocating', () => {
  it('a header declaring 100000x100000 float32 over 4 bytes of data is E_CALIB_DATA naming both sizes', () => {
    const e = catchQtkError(() => parseNpy(npyV1("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }", new Uint8Array(4)), 'bomb.npy'));
    expect(e.code).toBe('E_CALIB_DATA');
    expect(e.message).toContain('has 4 bytes');
    expect(e.message).toContain('needs 40000000000');
  });

  it('an array over maxTensorBytes is E_MEMORY_BUDGET naming the file, shape and budget', () => {
    const bytes = encodeNpy(Tensor.zeros('float32', [4, 4]));
    const e = catchQtkError(() => parseNpy(bytes, 'x.npy', { maxTensorBytes: 63 }));
    expect(e.code).toBe('E_MEMORY_BUDGET');
    expect(e.where.file).toBe('x.npy');
    expect(e.message).toContain('x.npy: .npy array of shape (4, 4) and dtype <f4 needs 64 B');
    expect(e.message).toContain('budget of 63 B');
  });

  it('an array exactly at maxTensorBytes is read', () => {
    expect(parseNpy(encodeNpy(Tensor.zeros('float32', [4, 4])), 'x.npy', { maxTensorBytes: 64 }).dims).toEqual([4, 4]);
  });

  it('a budget that is not a positive number is E_OPTION naming maxTensorBytes', () => {
    const e = catchQtkError(() => parseNpy(encodeNpy(Tensor.zeros('float32', [1])), 'x.npy', { maxTensorBytes: 0 }));
    expect(e.code).toBe('E_OPTION');
    expect(e.where.option).toBe('maxTensorBytes');
  });
});
