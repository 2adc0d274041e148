import { describe, expect, test } from 'vitest';
import { QtkError, type QtkErrorCode } from '../errors/QtkError.js';
import { intRange, type DType } from '../ir/dtype.js';
import { Tensor, sizeOf } from '../ir/tensor.js';
import { packInt4, unpackInt4 } from './int4.js';
import { computeQParams } from './qparams.js';
import { dequantizeTensor, dynamicQuantizeLinear, fakeQuantize, quantizeTensor, type QLayout } from './quantize.js';
import { seededRandom } from './random.js';
import { roundHalfToEven } from './round.js';
import { expectQtkError } from '../test-support/expectQtkError.js';

/** Deterministic uniform numbers in [lo, hi) (mulberry32). */
function random(n: number, lo: number, hi: number, seed: number): Float32Array {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => lo + r() * (hi - lo));
}


/** Index of the parameter element `i` of a tensor of `dims` uses, computed from coordinates (the naive way). */
function naiveParamIndex(dims: readonly number[], i: number, layout: QLayout): number {
  if (layout.axis === undefined) return 0;
  const axis = layout.axis < 0 ? layout.axis + dims.length : layout.axis;
  const coord: number[] = [];
  let rest = i;
  for (let d = dims.length - 1; d >= 0; d--) {
    coord[d] = rest % dims[d]!;
    rest = Math.floor(rest / dims[d]!);
  }
  if (!layout.blockSize) return coord[axis]!;
  const pdims = dims.slice();
  pdims[axis] = Math.ceil(dims[axis]! / layout.blockSize);
  coord[axis] = Math.floor(coord[axis]! / layout.blockSize);
  let idx = 0;
  for (let d = 0; d < dims.length; d++) idx = idx * pdims[d]! + coord[d]!;
  return idx;
}

/** QuantizeLinear element by element, straight from the ONNX formula. */
function naiveQuantize(x: Float32Array, dims: number[], scale: Float32Array, zp: Int32Array, dtype: DType, layout: QLayout): number[] {
  const [lo, hi] = intRange(dtype);
  return Array.from(x, (v, i) => {
    const p = naiveParamIndex(dims, i, layout);
    return Math.min(hi, Math.max(lo, roundHalfToEven(Math.fround(v / scale[p]!)) + zp[p]!));
  });
}

/** Per-tensor, per-axis (incl. negative and last axis) and per-block (partial last block, inner > 1) layouts over dims. */
const LAYOUTS: [string, number[], QLayout][] = [
  ['per-tensor', [2, 3, 4], {}],
  ['per-axis 0', [3, 4, 5], { axis: 0 }],
  ['per-axis 1', [2, 3, 4], { axis: 1 }],
  ['per-axis -1 (last)', [3, 7], { axis: -1 }],
  ['per-block axis 1, blockSize 4 of 10 (partial last block)', [3, 10], { axis: 1, blockSize: 4 }],
  ['per-block axis 0, blockSize 4 of 10, inner 3', [10, 3], { axis: 0, blockSize: 4 }],
  ['per-block axis -2, blockSize 2 of 5, outer 2, inner 3', [2, 5, 3], { axis: -2, blockSize: 2 }],
];

/** Parameter count of a layout over dims (as the test computes it, independently of resolveQLayout). */
function paramCount(dims: number[], layout: QLayout): number {
  if (layout.axis === undefined) return 1;
  const axis = layout.axis < 0 ? layout.axis + dims.length : layout.axis;
  return layout.blockSize ? (sizeOf(dims) / dims[axis]!) * Math.ceil(dims[axis]! / layout.blockSize) : dims[axis]!;
}

describe('quantizeTensor / dequantizeTensor layouts', () => {
  test.each(LAYOUTS)('%s: quantize matches a naive per-element loop for int8 and uint4', (_name, dims, layout) => {
    const n = sizeOf(dims);
    const x = Tensor.fromFloat32(random(n, -3, 3, 7), dims);
    const k = paramCount(dims, layout);
    const scale = random(k, 0.01, 0.05, 11);
    const zp8 = Int32Array.from(random(k, -20, 20, 13), Math.round);
    const q8 = quantizeTensor(x, scale, zp8, 'int8', layout);
    expect(q8.dtype).toBe('int8');
    expect(q8.toNumbers()).toEqual(naiveQuantize(x.data as Float32Array, dims, scale, zp8, 'int8', layout));
    const zp4 = Int32Array.from(random(k, 3, 12, 17), Math.round);
    const scale4 = random(k, 0.3, 0.6, 19);
    const q4 = quantizeTensor(x, scale4, zp4, 'uint4', layout);
    expect(q4.toNumbers()).toEqual(naiveQuantize(x.data as Float32Array, dims, scale4, zp4, 'uint4', layout));
  });

  test.each(LAYOUTS)('%s: dequantize matches (q - zp) * scale in float32 per element', (_name, dims, layout) => {
    const n = sizeOf(dims);
    const q = new Tensor('uint8', Uint8Array.from(random(n, 0, 256, 23), Math.floor), dims);
    const k = paramCount(dims, layout);
    const scale = random(k, 0.01, 0.05, 29);
    const zp = Int32Array.from(random(k, 0, 256, 31), Math.floor);
    const got = dequantizeTensor(q, scale, zp, layout);
    const want = Array.from(q.data as Uint8Array, (v, i) => {
      const p = naiveParamIndex(dims, i, layout);
      return Math.fround((v - zp[p]!) * scale[p]!);
    });
    expect(got.dtype).toBe('float32');
    expect([...got.dims]).toEqual(dims);
    expect(Array.from(got.data as Float32Array)).toEqual(want);
  });

  test.each(LAYOUTS)('%s: fakeQuantize equals dequantize(quantize(x)) exactly', (_name, dims, layout) => {
    const x = Tensor.fromFloat32(random(sizeOf(dims), -2, 2, 37), dims);
    const k = paramCount(dims, layout);
    const scale = random(k, 0.005, 0.02, 41);
    const zp = Int32Array.from(random(k, -5, 5, 43), Math.round);
    const fake = fakeQuantize(x, scale, zp, 'int8', layout);
    const ref = dequantizeTensor(quantizeTensor(x, scale, zp, 'int8', layout), scale, zp, layout);
    expect(Array.from(fake.data as Float32Array)).toEqual(Array.from(ref.data as Float32Array));
  });
});

describe('quantize numerics', () => {
  test.each<[DType, boolean]>([
    ['int8', true], ['int8', false], ['uint8', false], ['uint8', true], ['int16', false], ['int4', true], ['uint4', false],
  ])('%s (symmetric %s): dequantize(quantize(x)) is within scale/2 (+1e-6 relative) of x on 10k random values', (dtype, symmetric) => {
    const x = random(10_000, -1.7, 2.9, 101);
    const { scale, zeroPoint } = computeQParams([-1.7], [2.9], { dtype, symmetric });
    const back = fakeQuantize(Tensor.fromFloat32(x, [10_000]), scale, zeroPoint, dtype).data as Float32Array;
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(back[i]! - x[i]!) - 1e-6 * Math.abs(x[i]!));
    expect(worst).toBeLessThanOrEqual(scale[0]! / 2);
  });

  test('ties round half to even: [0.5, 1.5, 2.5, -0.5, -1.5, -2.5] / 1 gives [0, 2, 2, 0, -2, -2]', () => {
    const x = Tensor.fromFloat32(Float32Array.of(0.5, 1.5, 2.5, -0.5, -1.5, -2.5), [6]);
    expect(quantizeTensor(x, Float32Array.of(1), Int32Array.of(0), 'int8').toNumbers()).toEqual([0, 2, 2, 0, -2, -2]);
  });

  test('out-of-range values saturate to the dtype limits (uint8 and int16)', () => {
    const x = Tensor.fromFloat32(Float32Array.of(-1000, 1000, -Infinity, Infinity), [4]);
    expect(quantizeTensor(x, Float32Array.of(1), Int32Array.of(10), 'uint8').toNumbers()).toEqual([0, 255, 0, 255]);
    expect(quantizeTensor(x, Float32Array.of(0.01), Int32Array.of(0), 'int16').toNumbers()).toEqual([-32768, 32767, -32768, 32767]);
  });

  test('NaN inputs quantize to the zero point and dequantize to 0', () => {
    const x = Tensor.fromFloat32(Float32Array.of(NaN, 1), [2]);
    const q = quantizeTensor(x, Float32Array.of(0.5), Int32Array.of(128), 'uint8');
    expect(q.toNumbers()).toEqual([128, 130]);
    expect(fakeQuantize(x, Float32Array.of(0.5), Int32Array.of(128), 'uint8').toNumbers()).toEqual([0, 1]);
  });

  test('float16 input is accepted and quantized from its float value', () => {
    const x = new Tensor('float16', Uint16Array.of(0x3c00, 0xc000), [2]); // 1, -2
    expect(quantizeTensor(x, Float32Array.of(0.5), Int32Array.of(0), 'int8').toNumbers()).toEqual([2, -4]);
  });

  test('int32 dequantizes with no zero point (bias style): (q - 0) * scale', () => {
    const q = new Tensor('int32', Int32Array.of(-5, 0, 1 << 20), [3]);
    expect(dequantizeTensor(q, Float32Array.of(0.25), undefined).toNumbers()).toEqual([-1.25, 0, 262144]);
  });
});

describe('int4 / uint4 packing', () => {
  test('int4 quantization packs two values per byte, low nibble first: [1, 2, 3, -1, -8] -> [0x21, 0xf3, 0x08]', () => {
    const x = Tensor.fromFloat32(Float32Array.of(1, 2, 3, -1, -8), [5]);
    const q = quantizeTensor(x, Float32Array.of(1), Int32Array.of(0), 'int4');
    expect(q.dtype).toBe('int4');
    expect(Array.from(q.data as Uint8Array)).toEqual([0x21, 0xf3, 0x08]);
    expect(q.toNumbers()).toEqual([1, 2, 3, -1, -8]);
  });

  test('uint4 quantization: [1, 15, 0] -> [0xf1, 0x00], and dequantize reads the nibbles back', () => {
    const x = Tensor.fromFloat32(Float32Array.of(1, 15, 0), [3]);
    const q = quantizeTensor(x, Float32Array.of(1), Int32Array.of(0), 'uint4');
    expect(Array.from(q.data as Uint8Array)).toEqual([0xf1, 0x00]);
    expect(dequantizeTensor(q, Float32Array.of(2), Int32Array.of(1)).toNumbers()).toEqual([0, 28, -2]);
  });

  test('packInt4 then unpackInt4 returns the values, signed and unsigned', () => {
    const s = [-8, -1, 0, 7, 3];
    expect(Array.from(unpackInt4(packInt4(s), s.length, true))).toEqual(s);
    const u = [15, 0, 9, 1];
    expect(Array.from(unpackInt4(packInt4(u), u.length, false))).toEqual(u);
  });
});

describe('dynamicQuantizeLinear', () => {
  test('x [0, 2.55]: scale 0.01 (float32), zero point 0, y [0, 255]', () => {
    const r = dynamicQuantizeLinear(Tensor.fromFloat32(Float32Array.of(0, 2.55), [2]));
    expect(r.scale).toBe(Math.fround(Math.fround(2.55) / 255));
    expect(r.zeroPoint).toBe(0);
    expect(r.y.dtype).toBe('uint8');
    expect(r.y.toNumbers()).toEqual([0, 255]);
  });

  test('an all-zero input gives scale 1, zero point 0, y zeros (never NaN)', () => {
    const r = dynamicQuantizeLinear(Tensor.fromFloat32(new Float32Array(3), [3]));
    expect([r.scale, r.zeroPoint]).toEqual([1, 0]);
    expect(r.y.toNumbers()).toEqual([0, 0, 0]);
  });
});

describe('bad inputs', () => {
  const x = Tensor.fromFloat32(new Float32Array(6), [2, 3]);

  test('per-axis scale of the wrong length throws E_SHAPE naming expected vs got', () => {
    expectQtkError(() => quantizeTensor(x, new Float32Array(2), new Int32Array(2), 'int8', { axis: 1 }), 'E_SHAPE', 'scale has 2 values, expected 3');
  });

  test('zero point length different from the scale throws E_SHAPE', () => {
    expectQtkError(() => quantizeTensor(x, Float32Array.of(1, 1, 1), new Int32Array(1), 'int8', { axis: 1 }), 'E_SHAPE', 'zero point has 1 values, expected 3');
    expectQtkError(() => dequantizeTensor(new Tensor('int8', new Int8Array(6), [2, 3]), Float32Array.of(1, 1), new Int32Array(3), { axis: 0 }), 'E_SHAPE', 'expected 2');
  });

  test('per-block scale count other than outer * ceil(len / blockSize) * inner throws E_SHAPE', () => {
    expectQtkError(() => quantizeTensor(x, new Float32Array(2).fill(1), new Int32Array(2), 'int8', { axis: 1, blockSize: 2 }), 'E_SHAPE', 'expected 4');
  });

  test('an axis outside the rank throws E_SHAPE; blockSize without axis or negative throws E_OPTION', () => {
    expectQtkError(() => quantizeTensor(x, Float32Array.of(1), Int32Array.of(0), 'int8', { axis: 2 }), 'E_SHAPE', 'axis 2');
    expectQtkError(() => quantizeTensor(x, Float32Array.of(1), Int32Array.of(0), 'int8', { axis: -3 }), 'E_SHAPE', 'axis -3');
    expectQtkError(() => quantizeTensor(x, Float32Array.of(1), Int32Array.of(0), 'int8', { blockSize: 2 }), 'E_OPTION', 'blockSize');
    expectQtkError(() => quantizeTensor(x, Float32Array.of(1), Int32Array.of(0), 'int8', { axis: 1, blockSize: -1 }), 'E_OPTION', 'blockSize');
  });

  test('unsupported dtypes throw E_DTYPE: float target, integer input to quantize, float input to dequantize', () => {
    expectQtkError(() => quantizeTensor(x, Float32Array.of(1), Int32Array.of(0), 'float16'), 'E_DTYPE', 'float16');
    expectQtkError(() => quantizeTensor(new Tensor('int8', new Int8Array(1), [1]), Float32Array.of(1), Int32Array.of(0), 'int8'), 'E_DTYPE', 'int8');
    expectQtkError(() => dequantizeTensor(x, Float32Array.of(1), undefined), 'E_DTYPE', 'float32');
    expectQtkError(() => fakeQuantize(x, Float32Array.of(1), Int32Array.of(0), 'int32'), 'E_DTYPE', 'int32');
  });

  test('a zero or non-finite scale throws E_OPTION; a zero point outside the dtype throws E_DTYPE', () => {
    expectQtkError(() => quantizeTensor(x, Float32Array.of(0), Int32Array.of(0), 'int8'), 'E_OPTION', 'scale[0]');
    expectQtkError(() => quantizeTensor(x, Float32Array.of(NaN), Int32Array.of(0), 'int8'), 'E_OPTION', 'scale[0]');
    expectQtkError(() => quantizeTensor(x, Float32Array.of(1), Int32Array.of(300), 'uint8'), 'E_DTYPE', '300');
    expectQtkError(() => quantizeTensor(x, Float32Array.of(1), Int32Array.of(8), 'int4'), 'E_DTYPE', '[-8, 7]');
  });
});
