/**
 * Min and max of a float tensor per quantization parameter of a layout (per-tensor, per-axis
 * or per-block), in the order the scale tensor stores them.
 * Example: x [2, 4] = [[1, 2, 3, 4], [5, 6, 7, 8]] with `{ axis: 1, blockSize: 2 }` gives
 * min [1, 3, 5, 7] and max [2, 4, 6, 8] (scale dims [2, 2]).
 */
import { QtkError } from '../errors/QtkError.js';
import type { Tensor } from '../ir/tensor.js';
import { forEachSpan, resolveQLayout, type QLayout, type ResolvedQLayout } from './layout.js';

/** Per-parameter range of `x` under `layout`; NaN and ±Infinity are skipped and counted. */
export function layoutMinMax(x: Tensor, layout: QLayout = {}): { min: Float64Array; max: Float64Array; plan: ResolvedQLayout; nonFinite: number } {
  if (x.dtype !== 'float32') throw new QtkError('E_DTYPE', `range of a ${x.dtype} tensor: expected float32`);
  const plan = resolveQLayout(x.dims, layout);
  const src = x.data as Float32Array;
  const min = new Float64Array(plan.paramCount).fill(Infinity);
  const max = new Float64Array(plan.paramCount).fill(-Infinity);
  let nonFinite = 0;
  forEachSpan(plan, (start, end, p, stride) => {
    for (let i = start, j = p; i < end; i++, j += stride) {
      const v = src[i]!;
      if (!Number.isFinite(v)) { nonFinite++; continue; }
      if (v < min[j]!) min[j] = v;
      if (v > max[j]!) max[j] = v;
    }
  });
  for (let j = 0; j < min.length; j++) if (min[j] === Infinity) { min[j] = 0; max[j] = 0; }
  return { min, max, plan, nonFinite };
}
