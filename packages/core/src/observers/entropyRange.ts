/**
 * Entropy (KL-divergence) calibration as TensorRT describes it ("8-bit Inference with
 * TensorRT", GTC 2017, and NVIDIA's pytorch-quantization `_compute_amax_entropy`):
 *
 * On the histogram of |x| (about `bins` bins), for each candidate threshold bin
 * `i = startBin .. n`:
 *   - P: bins `0 .. i-1`, with every count above bin `i-1` (the outliers) added to bin `i-1`;
 *   - Q: bins `0 .. i-1` without the outliers, merged into `quantizedBins` groups, each
 *     group's count spread evenly over the group's bins that are non-zero in P (bins
 *     empty in P stay empty in Q);
 *   - divergence KL(P || Q) of the normalised P and Q.
 * The threshold is the upper edge `i * width` of the candidate with the least divergence
 * (the edge, as pytorch-quantization returns; the GTC slides say `(i + 0.5) * width`);
 * ties go to the larger `i`, as there.
 *
 * Zero bins: KL sums only bins with P > 0 (0 log 0 = 0), so zero bins of P need no
 * smoothing. Q is zero where P is non-zero only when a whole merged group is empty in
 * the slice while the outliers land in its last bin; KL is then infinite and the
 * candidate is dropped, which is exact KL (pytorch-quantization's scipy `entropy` gives
 * inf there too). MXNet and onnxruntime instead add eps = 1e-4 to zero *counts* of P
 * and Q (`smooth_distribution`), which makes the penalty depend on the sample count;
 * we do not. (PyTorch's HistogramObserver has no KL search: it minimises an L2 error,
 * see `mseRange`.) Candidate `i = n` (no outliers) is always finite, so a threshold exists.
 * Unlike onnxruntime's entropy calibrator, the result is the clipped threshold, never
 * a fall-back to the full observed range.
 *
 * Also as pytorch-quantization: bin 0 takes the count of bin 1 before the search, so the
 * spike of exact zeros (ReLU outputs) does not dominate P, and when the quantized range is
 * unsigned the number of quantized bins doubles (`1 << (bits - 1 + unsigned)`).
 *
 * Guard against sparse histograms: when |x| takes only a few distinct values (image
 * pixels with few grey levels, one-hot features), a threshold that cuts off most of the
 * data leaves P with so few non-zero bins that Q reproduces it exactly and KL reaches 0.
 * Candidates that clip more than `maxClippedFraction` of the values (default 0.1 %) are
 * therefore skipped; dense activations, where KL works as intended, clip far less.
 *
 * Cost: with prefix sums of c, c·log c and non-zero flags, each candidate's divergence
 * takes O(quantizedBins), so the search is O(n · quantizedBins), about 0.5M steps.
 */
import type { HistogramView } from './fixedWidthHistogram.js';
import { foldAbsolute, regroup } from './histogramBins.js';

/** Options of `entropyThreshold`. */
export interface EntropyOptions {
  /** Target |x| bin count; the folded histogram is merged down to between this and twice this. */
  bins: number;
  /** Quantized bins Q has (128 for int8). */
  quantizedBins: number;
  /** First candidate threshold bin (128 in TensorRT). */
  startBin: number;
  /** Largest fraction of values a candidate threshold may clip (default 0.001). */
  maxClippedFraction?: number;
}

/**
 * TensorRT's entropy threshold T for |x| of `view` (see the module comment).
 * Returns the largest |x| when the histogram has fewer bins than `startBin`.
 */
export function entropyThreshold(view: HistogramView, opts: EntropyOptions): number {
  const amax = Math.max(-view.min, view.max);
  const folded = foldAbsolute(view);
  const factor = Math.max(1, Math.floor(folded.length / opts.bins));
  const grouped = regroup({ counts: folded, base: 0, width: view.width }, factor);
  const c = factor > 1 ? grouped.counts : folded.slice();
  const n = c.length;
  const width = grouped.width;
  if (n > 1) c[0] = c[1]!;
  if (n < opts.startBin) return amax;

  // Prefix sums: count, count·log(count), number of non-zero bins.
  const pc = new Float64Array(n + 1), pl = new Float64Array(n + 1), pz = new Float64Array(n + 1);
  for (let j = 0; j < n; j++) {
    const v = c[j]!;
    pc[j + 1] = pc[j]! + v;
    pl[j + 1] = pl[j]! + (v > 0 ? v * Math.log(v) : 0);
    pz[j + 1] = pz[j]! + (v > 0 ? 1 : 0);
  }
  const total = pc[n]!;
  const logTotal = Math.log(total);
  const nq = opts.quantizedBins;
  let best = Infinity, bestI = n;
  const maxClipped = (opts.maxClippedFraction ?? 0.001) * total;
  for (let i = Math.max(1, opts.startBin); i <= n; i++) {
    if (total - pc[i]! > maxClipped) continue;
    const kl = divergence(i);
    if (kl <= best) { best = kl; bestI = i; }
  }
  return Math.min(bestI * width, amax);

  /** KL(P || Q) for threshold bin `i`, or Infinity. */
  function divergence(i: number): number {
    const sliced = pc[i]!;
    if (sliced <= 0) return Infinity;
    const outliers = total - sliced;
    const last = c[i - 1]!;
    const pLast = last + outliers;
    // Σ p log(p / q) with p = c / total and q = (Q_g / nz_g) / sliced, per group g.
    let sum = 0;
    const logRatio = logTotal - Math.log(sliced);
    for (let g = 0; g < nq; g++) {
      const start = Math.ceil((g * i) / nq);
      const end = g === nq - 1 ? i : Math.ceil(((g + 1) * i) / nq);
      if (end <= start) continue;
      const qg = pc[end]! - pc[start]!;
      let nz = pz[end]! - pz[start]!;
      const isLast = end === i;
      if (isLast && last === 0 && pLast > 0) nz += 1;
      if (nz === 0) continue;
      if (qg <= 0) {
        if (isLast && pLast > 0) return Infinity;
        continue;
      }
      const logQ = Math.log(qg / nz);
      // Bins of the group other than the last bin of the slice hold p = c.
      const cEnd = isLast ? end - 1 : end;
      const sumC = pc[cEnd]! - pc[start]!;
      const sumCLogC = pl[cEnd]! - pl[start]!;
      sum += sumCLogC - sumC * (logRatio + logQ);
      if (isLast && pLast > 0) sum += pLast * (Math.log(pLast) - logRatio - logQ);
    }
    return sum / total;
  }
}

/**
 * The asymmetric range for an entropy threshold `t`: `[max(min, -t), min(max, t)]`.
 * TensorRT's threshold is symmetric (|x| ≤ t); clipping each side of the signed range at
 * `t` keeps an all-non-negative tensor (ReLU output) at `[0, t]` and never widens a side
 * beyond what was observed.
 */
export function entropyRange(view: HistogramView, opts: EntropyOptions): [number, number] {
  const t = entropyThreshold(view, opts);
  return [Math.max(view.min, -t), Math.min(view.max, t)];
}
