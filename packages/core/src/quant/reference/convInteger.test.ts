import { describe, expect, test } from 'vitest';
import { QtkError, type QtkErrorCode } from '../../errors/QtkError.js';
import { Tensor } from '../../ir/tensor.js';
import { convInteger } from './convInteger.js';
import { expectQtkError } from '../../test-support/expectQtkError.js';
import { u8 } from '../../test-support/ints.js';

/** Deterministic integers in [lo, hi] (LCG). */
function ints(n: number, lo: number, hi: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return lo + ((s >>> 8) % (hi - lo + 1));
  });
}



interface Naive { stride: [number, number]; dil: [number, number]; pads: [number, number, number, number]; group: number }

/**
 * Convolution of (x - xz) and (w - wz[m]) done the textbook way: materialise the padded input
 * (padding holds the zero point), then slide the dilated kernel with the given strides.
 */
function naiveConv(x: number[], [N, C, H, W]: number[], w: number[], [M, CG, KH, KW]: number[], xz: number, wz: number[], o: Naive): { dims: number[]; values: number[] } {
  const [pt, pl, pb, pr] = o.pads;
  const HP = H + pt + pb, WP = W + pl + pr;
  const padded = new Array<number>(N * C * HP * WP).fill(0);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let h = 0; h < H; h++) for (let v = 0; v < W; v++) {
    padded[((n * C + c) * HP + h + pt) * WP + v + pl] = x[((n * C + c) * H + h) * W + v]! - xz;
  }
  const OH = Math.floor((HP - (o.dil[0] * (KH - 1) + 1)) / o.stride[0]) + 1;
  const OW = Math.floor((WP - (o.dil[1] * (KW - 1) + 1)) / o.stride[1]) + 1;
  const values: number[] = [];
  const MG = M / o.group;
  for (let n = 0; n < N; n++) for (let m = 0; m < M; m++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    let acc = 0;
    const g = Math.floor(m / MG);
    for (let cg = 0; cg < CG; cg++) for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) {
      const xv = padded[((n * C + g * CG + cg) * HP + oh * o.stride[0] + kh * o.dil[0]) * WP + ow * o.stride[1] + kw * o.dil[1]]!;
      acc += xv * (w[((m * CG + cg) * KH + kh) * KW + kw]! - wz[m]!);
    }
    values.push(acc);
  }
  return { dims: [N, M, OH, OW], values };
}

describe('convInteger', () => {
  test('groups 2, strides [2,1], dilations [2,2], asymmetric pads [1,0,2,1], per-channel w zero points match a naive padded conv', () => {
    const xd = [2, 4, 7, 6], wd = [4, 2, 3, 2];
    const x = ints(2 * 4 * 7 * 6, 0, 255, 1), w = ints(4 * 2 * 3 * 2, 0, 255, 2);
    const wz = [128, 100, 0, 255];
    const y = convInteger({
      x: u8(xd, x), w: u8(wd, w), xZeroPoint: u8([], [9]), wZeroPoint: u8([4], wz),
      group: 2, strides: [2, 1], dilations: [2, 2], pads: [1, 0, 2, 1], kernelShape: [3, 2],
    });
    const want = naiveConv(x, xd, w, wd, 9, wz, { group: 2, stride: [2, 1], dil: [2, 2], pads: [1, 0, 2, 1] });
    expect(y.dtype).toBe('int32');
    expect([...y.dims]).toEqual(want.dims);
    expect(y.toNumbers()).toEqual(want.values);
  });

  test('auto_pad SAME_UPPER pads the odd extra at the end, SAME_LOWER at the start (4x4 input, 2x2 kernel)', () => {
    const x = ints(16, 0, 50, 3), w = ints(4, 0, 5, 4);
    const upper = convInteger({ x: u8([1, 1, 4, 4], x), w: u8([1, 1, 2, 2], w), autoPad: 'SAME_UPPER' });
    const lower = convInteger({ x: u8([1, 1, 4, 4], x), w: u8([1, 1, 2, 2], w), autoPad: 'SAME_LOWER' });
    const base = { group: 1, stride: [1, 1], dil: [1, 1] } satisfies Omit<Naive, 'pads'>;
    expect([...upper.dims]).toEqual([1, 1, 4, 4]);
    expect(upper.toNumbers()).toEqual(naiveConv(x, [1, 1, 4, 4], w, [1, 1, 2, 2], 0, [0], { ...base, pads: [0, 0, 1, 1] }).values);
    expect(lower.toNumbers()).toEqual(naiveConv(x, [1, 1, 4, 4], w, [1, 1, 2, 2], 0, [0], { ...base, pads: [1, 1, 0, 0] }).values);
    expect(upper.toNumbers()).not.toEqual(lower.toNumbers());
  });

  test('auto_pad SAME_UPPER with stride 2 gives ceil(5/2) = 3 outputs per axis; VALID gives floor((5-3)/2)+1 = 2', () => {
    const x = ints(25, 0, 255, 5), w = ints(9, 0, 255, 6);
    const same = convInteger({ x: u8([1, 1, 5, 5], x), w: u8([1, 1, 3, 3], w), autoPad: 'SAME_UPPER', strides: [2, 2], pads: [9, 9, 9, 9] });
    expect([...same.dims]).toEqual([1, 1, 3, 3]);
    expect(same.toNumbers()).toEqual(naiveConv(x, [1, 1, 5, 5], w, [1, 1, 3, 3], 0, [0], { group: 1, stride: [2, 2], dil: [1, 1], pads: [1, 1, 1, 1] }).values);
    const valid = convInteger({ x: u8([1, 1, 5, 5], x), w: u8([1, 1, 3, 3], w), autoPad: 'VALID', strides: [2, 2] });
    expect([...valid.dims]).toEqual([1, 1, 2, 2]);
    expect(valid.toNumbers()).toEqual(naiveConv(x, [1, 1, 5, 5], w, [1, 1, 3, 3], 0, [0], { group: 1, stride: [2, 2], dil: [1, 1], pads: [0, 0, 0, 0] }).values);
  });

  test('1-D convolution [N, C, L] runs as 2-D with height 1 and returns [N, M, OL]', () => {
    const x = ints(12, 0, 255, 7), w = ints(18, 0, 255, 8);
    const y = convInteger({ x: u8([1, 2, 6], x), w: u8([3, 2, 3], w), xZeroPoint: u8([], [128]), pads: [1, 1] });
    expect([...y.dims]).toEqual([1, 3, 6]);
    const want = naiveConv(x, [1, 2, 1, 6], w, [3, 2, 1, 3], 128, [0, 0, 0], { group: 1, stride: [1, 1], dil: [1, 1], pads: [0, 1, 0, 1] });
    expect(y.toNumbers()).toEqual(want.values);
  });

  test('bad inputs: kernel_shape, group, rank, x zero point and pads errors carry the right codes', () => {
    const x = u8([1, 2, 4, 4], ints(32, 0, 9, 1));
    const w = u8([2, 2, 2, 2], ints(16, 0, 9, 1));
    expectQtkError(() => convInteger({ x, w, kernelShape: [3, 3] }), 'E_SHAPE', 'kernel_shape');
    expectQtkError(() => convInteger({ x, w, group: 2 }), 'E_SHAPE', 'group 2');
    expectQtkError(() => convInteger({ x, w, pads: [1, 1] }), 'E_SHAPE', 'pads has 2 values, expected 4');
    expectQtkError(() => convInteger({ x, w, xZeroPoint: u8([2], [1, 2]) }), 'E_SHAPE', 'scalar');
    expectQtkError(() => convInteger({ x, w, wZeroPoint: u8([3], [1, 2, 3]) }), 'E_SHAPE', 'expected 1 or 2');
    expectQtkError(() => convInteger({ x: u8([1, 1, 2, 2, 2], ints(8, 0, 9, 1)), w: u8([1, 1, 1, 1, 1], [1]) }), 'E_UNSUPPORTED', '2-D');
    expectQtkError(() => convInteger({ x: u8([1, 1, 2, 2], [1, 2, 3, 4]), w: u8([1, 1, 3, 3], ints(9, 0, 9, 1)) }), 'E_SHAPE', 'empty');
  });
});
