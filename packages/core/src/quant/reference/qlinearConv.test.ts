import { describe, expect, test } from 'vitest';
import { QtkError, type QtkErrorCode } from '../../errors/QtkError.js';
import { Tensor } from '../../ir/tensor.js';
import { qlinearConv, type QLinearConvParams } from './qlinearConv.js';
import { expectQtkError } from '../../test-support/expectQtkError.js';

/** Deterministic integers in [lo, hi] (LCG). */
function ints(n: number, lo: number, hi: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return lo + ((s >>> 8) % (hi - lo + 1));
  });
}


const f32 = (dims: number[], v: number[]) => Tensor.fromFloat32(Float32Array.from(v), dims);

describe('qlinearConv', () => {
  // x uint8 [1, 2, 5, 5], w int8 [3, 2, 3, 3] per-channel (symmetric, zero point 0), bias int32, pads 1, output uint8.
  const x = ints(50, 0, 255, 1), w = ints(54, -127, 127, 2);
  const sx = 0.02, zx = 128, sw = [0.004, 0.01, 0.007], sy = 0.05, zy = 100, bias = [500, -1200, 0];
  const params: QLinearConvParams = {
    x: new Tensor('uint8', Uint8Array.from(x), [1, 2, 5, 5]), xScale: f32([], [sx]), xZeroPoint: new Tensor('uint8', Uint8Array.of(zx), []),
    w: new Tensor('int8', Int8Array.from(w), [3, 2, 3, 3]), wScale: f32([3], sw), wZeroPoint: new Tensor('int8', new Int8Array(3), [3]),
    yScale: f32([], [sy]), yZeroPoint: new Tensor('uint8', Uint8Array.of(zy), []),
    bias: new Tensor('int32', Int32Array.from(bias), [3]), pads: [1, 1, 1, 1],
  };
  const y = qlinearConv(params);

  /** The float convolution of the dequantized inputs plus the dequantized bias, at output (m, oh, ow). */
  const real = (m: number, oh: number, ow: number) => {
    let acc = bias[m]! * Math.fround(sx) * Math.fround(sw[m]!);
    for (let c = 0; c < 2; c++) for (let kh = 0; kh < 3; kh++) for (let kw = 0; kw < 3; kw++) {
      const ih = oh - 1 + kh, iw = ow - 1 + kw;
      if (ih < 0 || ih >= 5 || iw < 0 || iw >= 5) continue;
      acc += (x[(c * 5 + ih) * 5 + iw]! - zx) * Math.fround(sx) * w[((m * 2 + c) * 3 + kh) * 3 + kw]! * Math.fround(sw[m]!);
    }
    return acc;
  };

  test('per-channel weight scales and int32 bias: uint8 [1, 3, 5, 5] within half an output step (+1e-5) of the float conv where not saturated', () => {
    expect(y.dtype).toBe('uint8');
    expect([...y.dims]).toEqual([1, 3, 5, 5]);
    const q = y.toNumbers();
    let checked = 0;
    for (let m = 0; m < 3; m++) for (let oh = 0; oh < 5; oh++) for (let ow = 0; ow < 5; ow++) {
      const v = q[(m * 5 + oh) * 5 + ow]!;
      if (v === 0 || v === 255) continue;
      checked++;
      expect(Math.abs((v - zy) * sy - real(m, oh, ow))).toBeLessThanOrEqual(sy / 2 + 1e-5);
    }
    expect(checked).toBeGreaterThan(40);
  });

  test('the bias shifts each output channel: dropping it changes channels 0 and 1 but not channel 2 (bias 0)', () => {
    const noBias = qlinearConv({ ...params, bias: undefined }).toNumbers();
    const q = y.toNumbers();
    const channel = (a: number[], m: number) => a.slice(m * 25, (m + 1) * 25);
    expect(channel(noBias, 0)).not.toEqual(channel(q, 0));
    expect(channel(noBias, 1)).not.toEqual(channel(q, 1));
    expect(channel(noBias, 2)).toEqual(channel(q, 2));
  });

  test('int8 output when y_zero_point is int8, saturating at -128/127', () => {
    const out = qlinearConv({ ...params, yScale: f32([], [0.01]), yZeroPoint: new Tensor('int8', Int8Array.of(0), []) });
    expect(out.dtype).toBe('int8');
    const v = out.toNumbers();
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-128);
    expect(Math.max(...v)).toBeLessThanOrEqual(127);
    expect(v.some((e) => e === 127 || e === -128)).toBe(true);
  });

  test('bad inputs: bias of wrong length or dtype, non-scalar x_scale, w_scale of wrong count', () => {
    expectQtkError(() => qlinearConv({ ...params, bias: new Tensor('int32', new Int32Array(2), [2]) }), 'E_SHAPE', 'expected 3');
    expectQtkError(() => qlinearConv({ ...params, bias: f32([3], [0, 0, 0]) }), 'E_DTYPE', 'int32');
    expectQtkError(() => qlinearConv({ ...params, xScale: f32([2], [1, 1]) }), 'E_SHAPE', 'x_scale');
    expectQtkError(() => qlinearConv({ ...params, wScale: f32([2], [1, 1]) }), 'E_SHAPE', 'w_scale');
  });
});
