import { describe, expect, it } from 'vitest';
import { QtkError } from '../errors/QtkError.js';
import { parseRawFloat32 } from './raw.js';
import { catchQtkError } from '../test-support/expectQtkError.js';

const bytesOf = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);


describe('parseRawFloat32', () => {
  it('reads little-endian float32 values into the given shape', () => {
    const t = parseRawFloat32(bytesOf([1, 2, 3, 4, 5, 6]), [3, 2]);
    expect([t.dtype, t.dims, t.toNumbers()]).toEqual(['float32', [3, 2], [1, 2, 3, 4, 5, 6]]);
  });

  it('infers one -1 dim from the byte count', () => {
    expect(parseRawFloat32(bytesOf(new Array(128).fill(0)), [-1, 1, 8, 8]).dims).toEqual([2, 1, 8, 8]);
  });

  it('reads from an unaligned view (a Buffer slice at an odd offset)', () => {
    const backing = new Uint8Array(9);
    backing.set(bytesOf([1.5, -2]), 1);
    expect(parseRawFloat32(backing.subarray(1), [2]).toNumbers()).toEqual([1.5, -2]);
  });

  it('a shape that needs other than the byte count gives E_CALIB_DATA naming both sizes', () => {
    const e = catchQtkError(() => parseRawFloat32(bytesOf(new Array(64).fill(0)), [2, 1, 8, 8], 'x.bin'));
    expect(e.code).toBe('E_CALIB_DATA');
    expect(e.message).toBe('x.bin: 256 bytes hold 64 float32 values; shape [2,1,8,8] needs 128 (512 bytes)');
    expect(e.where.file).toBe('x.bin');
  });

  it('a byte count that is not a multiple of 4 is refused', () => {
    const e = catchQtkError(() => parseRawFloat32(new Uint8Array(10), [-1]));
    expect(e.code).toBe('E_CALIB_DATA');
    expect(e.where.offset).toBe(8);
  });

  it('-1 that does not divide evenly, two -1 dims, or negative dims are refused', () => {
    expect(catchQtkError(() => parseRawFloat32(bytesOf([1, 2, 3]), [-1, 2])).code).toBe('E_CALIB_DATA');
    expect(catchQtkError(() => parseRawFloat32(bytesOf([1, 2]), [-1, -1])).code).toBe('E_SHAPE');
    expect(catchQtkError(() => parseRawFloat32(bytesOf([1, 2]), [-2])).code).toBe('E_SHAPE');
  });
});
