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
  const nq = opts.quantizedBins;
  const sums: PrefixSums = { c, pc, pl, pz, total, logTotal: Math.log(total) };
  let best = Infinity, bestI = n;
  const maxClipped = (opts.maxClippedFraction ?? 0.001) * total;
  for (let i = Math.max(1, opts.startBin); i <= n; i++) {
    if (total - pc[i]! > maxClipped) continue;
    const kl = divergence(sums, i, nq);
    if (kl <= best) { best = kl; bestI = i; }
  }
  return Math.min(bestI * width, amax);
}

/** Counts and their prefix sums of count, count·log(count) and non-zero flags. */
interface PrefixSums {
  c: Float64Array;
  pc: Float64Array;
  pl: Float64Array;
  pz: Float64Array;
  total: number;
  logTotal: number;
}

/**
 * KL(P || Q) for threshold bin `i` with `nq` quantized bins, or Infinity (see the module
 * comment). Group `g` covers bins `ceil(g·i/nq) .. ceil((g+1)·i/nq) - 1`; the group that
 * reaches bin `i - 1` is the last (later ones are empty) and holds P's outlier bin, so it
 * is summed after the loop.
 */
function divergence(s: PrefixSums, i: number, nq: number): number {
  const { c, pc, pl, pz, total } = s;
  const sliced = pc[i]!;
  if (sliced <= 0) return Infinity;
  const outliers = total - sliced;
  const last = c[i - 1]!;
  const pLast = last + outliers;
  // Σ p log(p / q) with p = c / total and q = (Q_g / nz_g) / sliced, per group g.
  let sum = 0;
  const logRatio = s.logTotal - Math.log(sliced);
  // ceil(g·i/nq) for g = 0, 1, ... as integers: start = floor((g·i + nq - 1) / nq).
  let start = 0;
  let acc = i + nq - 1; // (g + 1)·i + nq - 1
  for (let g = 0; g < nq - 1; g++, acc += i) {
    const end = Math.floor(acc / nq);
    if (end >= i) break; // this group reaches bin i - 1: it is the last one
    if (end > start) {
      const qg = pc[end]! - pc[start]!;
      if (qg > 0) {
        // Every bin of a non-last group holds p = c, so Σ c log c - Σ c (logRatio + log(q_g / nz_g)).
        sum += pl[end]! - pl[start]! - qg * (logRatio + Math.log(qg / (pz[end]! - pz[start]!)));
      }
      start = end;
    }
  }
  // Last group: bins start .. i-1, its last bin holds P's outliers too.
  if (i > start) {
    const qg = pc[i]! - pc[start]!;
    let nz = pz[i]! - pz[start]!;
    if (last === 0 && pLast > 0) nz += 1;
    if (nz > 0) {
      if (qg <= 0) {
        if (pLast > 0) return Infinity;
      } else {
        const logQ = Math.log(qg / nz);
        sum += pl[i - 1]! - pl[start]! - (pc[i - 1]! - pc[start]!) * (logRatio + logQ);
        if (pLast > 0) sum += pLast * (Math.log(pLast) - logRatio - logQ);
      }
    }
  }
  return sum / total;
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
