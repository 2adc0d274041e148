/**
 * The int32 bias of a quantized Conv or Gemm: zero point 0, scale input scale × weight
 * scale per output channel, values rounded half to even (as onnxruntime's quantization
 * tool does with numpy's round). The QDQ and QOperator conversions both quantize biases
 * here, so for one model they write the same integers.
 * Example: `quantizeBias([2.5, 3.5, -2.5], [1])` gives `{ values: [2, 4, -2], overflow: false }`.
 */
import type { Tensor } from '../ir/tensor.js';
import { bitsOf } from '../ir/dtype.js';
import { isFloat8QuantType } from '../quant/float8.js';
import { roundHalfToEven } from '../quant/round.js';
import type { QParams } from './qparams.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** An int32 bias and whether any of its values had to be clamped into int32. */
export interface QuantizedBias {
  values: Int32Array;
  overflow: boolean;
}

/**
 * `real[i] / scales[i]` (or `/ scales[0]` when there is one scale), rounded half to even
 * and clamped into int32; a value whose scale is not positive becomes 0. `overflow` is
 * true when a value lay beyond int32 (the caller decides whether a clamped bias will do).
 */
export function quantizeBias(real: ArrayLike<number>, scales: ArrayLike<number>): QuantizedBias {
  const values = new Int32Array(real.length);
  let overflow = false;
  for (let i = 0; i < real.length; i++) {
    const s = scales[scales.length === 1 ? 0 : i]!;
    const r = s > 0 ? roundHalfToEven(real[i]! / s) : 0;
    if (r < INT32_MIN || r > INT32_MAX) overflow = true;
    values[i] = r < INT32_MIN ? INT32_MIN : r > INT32_MAX ? INT32_MAX : r;
  }
  return { values, overflow };
}

/**
 * Raises the scale of 8-bit symmetric weight channels so tiny that their bias would not fit
 * int32 at scale = input scale × weight scale (dead channels: every weight near 0, scale
 * near 1e-17). Their weights still quantize to 0, the bias stays int32 with room to spare,
 * and runtimes that would quantize a float bias themselves cannot overflow (onnxruntime
 * 1.30 then zeroes such channels). 16-bit weights are left alone: there the bias stays float.
 */
export function floorScalesForBias(wq: QParams | undefined, xq: QParams | undefined, bias: Tensor | undefined): void {
  if (!wq || !xq || !bias || bias.dtype !== 'float32' || wq.blockSize !== undefined) return;
  if (bitsOf(wq.dtype) > 8 || isFloat8QuantType(wq.dtype) || isFloat8QuantType(xq.dtype) || wq.zeroPoint.some((z) => z !== 0)) return;
  if (wq.scale.length !== 1 && wq.scale.length !== bias.size) return;
  const b = bias.data as Float32Array;
  const limit = xq.scale[0]! * 2 ** 30;
  for (let c = 0; c < wq.scale.length; c++) {
    let absmax = 0;
    if (wq.scale.length === 1) for (let i = 0; i < b.length; i++) absmax = Math.max(absmax, Math.abs(b[i]!));
    else absmax = Math.abs(b[c]!);
    const need = Math.fround(absmax / limit);
    if (need > wq.scale[c]!) wq.scale[c] = need;
  }
}
