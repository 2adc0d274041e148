/**
 * Bias correction (pure math): rounding a weight moves the mean of each output channel
 * by `Σ_k (ŵ[c,k] - w[c,k]) · E[x_k]`, where `ŵ` is the dequantized weight and `E[x_k]`
 * the mean of the input channel that weight element reads. Subtracting that shift from
 * the bias removes the systematic part of the weight's rounding error; with inputs after
 * a ReLU (mean ≈ 0.4 σ per channel) it is about a third of that error's power.
 * Padding is ignored: a border position reads zeros instead of the mean.
 */

/** How a weight's elements map to output and input channels. */
export type WeightLayout =
  /** Conv weight [M, C/group, k...]: output channel m reads input channels of its group. */
  | { kind: 'conv'; group: number }
  /** Gemm weight [K, N] (transB 0) or [N, K] (transB 1): output n reads input k. */
  | { kind: 'gemm'; transB: boolean };

/**
 * The mean shift of each output channel that replacing `w` by `wq` (same dims `dims`)
 * causes for inputs whose channel means are `mean`; one value per output channel.
 * Example: conv weight [2, 1, 1, 1] = [0.5, 1], wq = [0.52, 1], group 1, mean [2] → [0.04, 0].
 * Throws RangeError when `mean` does not have the weight's input channel count.
 */
export function weightMeanShift(w: Float32Array, wq: Float32Array, dims: readonly number[], mean: Float32Array, layout: WeightLayout): Float64Array {
  if (layout.kind === 'gemm') {
    const [rows, cols] = [dims[0]!, dims[1]!];
    const [outs, ins] = layout.transB ? [rows, cols] : [cols, rows];
    if (mean.length !== ins) throw new RangeError(`input means have ${mean.length} channels, the weight reads ${ins}`);
    const shift = new Float64Array(outs);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const d = wq[r * cols + c]! - w[r * cols + c]!;
        if (layout.transB) shift[r]! += d * mean[c]!;
        else shift[c]! += d * mean[r]!;
      }
    }
    return shift;
  }
  const outs = dims[0]!, perGroup = dims[1]!;
  const spatial = dims.slice(2).reduce((a, d) => a * d, 1);
  const outsPerGroup = outs / layout.group;
  if (mean.length !== perGroup * layout.group) throw new RangeError(`input means have ${mean.length} channels, the weight reads ${perGroup * layout.group}`);
  const shift = new Float64Array(outs);
  for (let m = 0; m < outs; m++) {
    const first = Math.floor(m / outsPerGroup) * perGroup;
    let s = 0;
    for (let k = 0; k < perGroup; k++) {
      const base = (m * perGroup + k) * spatial;
      let d = 0;
      for (let j = 0; j < spatial; j++) d += wq[base + j]! - w[base + j]!;
      s += d * mean[first + k]!;
    }
    shift[m] = s;
  }
  return shift;
}
