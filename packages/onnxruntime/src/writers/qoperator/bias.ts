/**
 * The int32 bias a QLinearConv or QGemm adds: quantized with zero point 0 and scale
 * input scale × weight scale (per output channel). A dequantized bias with other scales
 * is requantized to those; a float constant bias is quantized to them (see quantizeBias),
 * unless a value would not fit int32: then the node keeps its QDQ form.
 */
import { Tensor } from '@qtk/core';
import { quantizeBias } from '@qtk/core/internal';
import type { RewriteContext } from './context.js';

/** Relative difference under which two float32 scales count as equal. */
const SCALE_TOLERANCE = 1e-6;

/**
 * The name (as `value`) of an int32 constant holding bias `name` of `channels` outputs at
 * scale `xScale × wScales[c]`, or why there can be none. `name` is either the output of a
 * DequantizeLinear of an int32 constant, or a float constant of `channels` values.
 */
export function int32Bias(name: string, xScale: number, wScales: Float32Array, channels: number, ctx: RewriteContext): { value: string } | string {
  if (wScales.length !== 1 && wScales.length !== channels) return `weights have ${wScales.length} scales for ${channels} channels`;
  const want = (c: number) => Math.fround(xScale * wScales[wScales.length === 1 ? 0 : c]!);
  const dq = ctx.dequantized(name);
  if (typeof dq === 'string') return dq;
  const t = ctx.constant(dq ? dq.value : name);
  const what = `bias '${dq ? dq.value : name}'`;
  if (!t) return `${what} is not a constant`;
  if (t.size !== channels || t.dims.filter((d) => d !== 1).length > 1) return `${what} has dims [${t.dims.join(',')}], expected ${channels} values along one axis`;
  let real: (c: number) => number;
  if (dq) {
    const p = dq.params;
    if (t.dtype !== 'int32') return `${what} is ${t.dtype}, expected int32`;
    if (p.zeroPoints.some((z) => z !== 0)) return `${what} has a non-zero zero point`;
    if (p.scales.length !== 1 && p.scales.length !== channels) return `${what} has ${p.scales.length} scales for ${channels} channels`;
    const have = (c: number) => p.scales[p.scales.length === 1 ? 0 : c]!;
    let same = t.dims.length === 1;
    for (let c = 0; c < channels && same; c++) same = Math.abs(have(c) - want(c)) <= SCALE_TOLERANCE * Math.abs(want(c));
    if (same) return { value: dq.value };
    real = (c) => t.get(c) * have(c);
  } else {
    if (t.dtype !== 'float32') return `${what} is ${t.dtype}, expected float32 or dequantized int32`;
    real = (c) => t.get(c);
  }
  const reals = Float64Array.from({ length: channels }, (_, c) => real(c));
  const q = quantizeBias(reals, Float32Array.from({ length: channels }, (_, c) => want(c)));
  if (q.overflow) return `${what} does not fit int32 at scale input scale × weight scale`;
  return { value: ctx.editor.constant(`${dq ? dq.value : name}_int32`, new Tensor('int32', q.values, [channels])) };
}
