/**
 * Shape rules of convolutions: Conv, ConvTranspose, ConvInteger, QLinearConv, and the
 * sliding-window arithmetic pools share. Example: x `['N', 3, 32, 32]`, weight
 * `[16, 3, 3, 3]`, pads 1, strides 2 gives `['N', 16, 16, 16]`.
 */
import { attrInts, attrString, attrInt, type Dim } from '../../ir/graph.js';
import type { DimAlgebra } from '../dims.js';
import { fail, type RuleContext, type ShapeRule } from '../types.js';
import { info } from './common.js';

/** Window attributes of one node, defaults filled for `n` spatial axes. */
export interface WindowAttrs {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** Begin pads then end pads, ONNX order. */
  pads: number[];
  autoPad: string;
  ceilMode: boolean;
}

/** Reads strides, dilations, pads, auto_pad and ceil_mode for `kernel`. */
export function windowAttrs(ctx: RuleContext, kernel: number[]): WindowAttrs {
  const n = kernel.length;
  const node = ctx.node;
  const strides = attrInts(node, 'strides', new Array(n).fill(1));
  const dilations = attrInts(node, 'dilations', new Array(n).fill(1));
  const pads = attrInts(node, 'pads', new Array(2 * n).fill(0));
  if (strides.length !== n || dilations.length !== n || pads.length !== 2 * n) fail(`strides/dilations/pads do not match ${n} spatial axes`);
  return { kernel, strides, dilations, pads, autoPad: attrString(node, 'auto_pad', 'NOTSET'), ceilMode: attrInt(node, 'ceil_mode', 0) === 1 };
}

/** Output sizes of a sliding window over `spatial` (Conv, pools). */
export function windowOutput(d: DimAlgebra, spatial: readonly Dim[], w: WindowAttrs): Dim[] {
  return spatial.map((x, i) => {
    const s = w.strides[i]!;
    const dk = (w.kernel[i]! - 1) * w.dilations[i]! + 1;
    if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') return d.ceilDiv(x, s);
    const pb = w.autoPad === 'VALID' ? 0 : w.pads[i]!;
    const pe = w.autoPad === 'VALID' ? 0 : w.pads[i + spatial.length]!;
    const span = d.add(x, pb + pe - dk);
    if (!w.ceilMode) return d.add(d.floorDiv(span, s), 1);
    if (typeof x === 'number') {
      let out = Math.ceil((x + pb + pe - dk) / s) + 1;
      // A last window that would start inside the end padding is dropped.
      if ((out - 1) * s >= x + pb) out--;
      return out;
    }
    return pb === 0 && dk >= s ? d.add(d.ceilDiv(span, s), 1) : null;
  });
}

/** Kernel sizes from `kernel_shape` or the weight's trailing dims. */
function kernelOf(ctx: RuleContext, weight: number, spatial: number): number[] {
  const k = attrInts(ctx.node, 'kernel_shape');
  if (k) return k;
  const w = ctx.input(weight)?.shape;
  const ks = w?.slice(2);
  if (!ks || ks.length !== spatial || !ks.every((v): v is number => typeof v === 'number')) fail('kernel size unknown: no kernel_shape and weight shape not static');
  return ks;
}

function convShape(ctx: RuleContext, x: number, weight: number): Dim[] | undefined {
  const xs = ctx.input(x)?.shape;
  if (!xs) return ctx.noShape('input has no known shape');
  if (xs.length < 3) fail(`input rank ${xs.length} is below 3`);
  const kernel = kernelOf(ctx, weight, xs.length - 2);
  const out = windowOutput(ctx.dims, xs.slice(2), windowAttrs(ctx, kernel));
  const m = ctx.input(weight)?.shape?.[0] ?? null;
  return [xs[0]!, m, ...out];
}

const conv: ShapeRule = (ctx) => [info(ctx.need(0).dtype, convShape(ctx, 0, 1))];

const convInteger: ShapeRule = (ctx) => {
  ctx.need(0);
  return [info('int32', convShape(ctx, 0, 1))];
};

const qlinearConv: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const dtype = ctx.input(7)?.dtype ?? x.dtype;
  return [info(dtype, convShape(ctx, 0, 3))];
};

const convTranspose: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const xs = x.shape;
  if (!xs) return [info(x.dtype, ctx.noShape('input has no known shape'))];
  const n = xs.length - 2;
  if (n < 1) fail(`input rank ${xs.length} is below 3`);
  const group = attrInt(ctx.node, 'group', 1);
  const w = ctx.input(1)?.shape;
  const m = w && w[1] !== undefined ? ctx.dims.mul(w[1], group) : null;
  const given = attrInts(ctx.node, 'output_shape');
  if (given) return [info(x.dtype, [xs[0]!, m, ...given.slice(given.length - n)])];
  const kernel = kernelOf(ctx, 1, n);
  const wa = windowAttrs(ctx, kernel);
  const outPad = attrInts(ctx.node, 'output_padding', new Array(n).fill(0));
  const d = ctx.dims;
  const spatial = xs.slice(2).map((v, i) => {
    const s = wa.strides[i]!;
    if (wa.autoPad === 'SAME_UPPER' || wa.autoPad === 'SAME_LOWER') return d.mul(v, s);
    const dk = (kernel[i]! - 1) * wa.dilations[i]! + 1;
    const pads = wa.autoPad === 'VALID' ? 0 : wa.pads[i]! + wa.pads[i + n]!;
    return d.add(d.mul(d.sub(v, 1), s), outPad[i]! + dk - pads);
  });
  return [info(x.dtype, [xs[0]!, m, ...spatial])];
};

/** Convolution rules by op type. */
export const convRules: ReadonlyArray<[string, ShapeRule]> = [
  ['Conv', conv],
  ['ConvInteger', convInteger],
  ['QLinearConv', qlinearConv],
  ['ConvTranspose', convTranspose],
];
