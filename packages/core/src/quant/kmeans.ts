/**
 * One-dimensional k-means for weight codebooks: k-means++ seeding from a seeded generator,
 * then Lloyd iterations. In one dimension every cluster is a run of the sorted values, so an
 * iteration is a binary search per boundary and a mean from prefix sums (O(k log n)).
 * Example: `kmeans1d(Float32Array.of(-1, -0.9, 1, 1.1), 2)` gives codebook [-0.95, 1.05]
 * and indices [0, 0, 1, 1].
 */
import { QtkError } from '../errors/QtkError.js';
import { seededRandom } from './random.js';

/** Options of `kmeans1d`. */
export interface KMeansOptions {
  /** Seed of the k-means++ draws (default 1): the same seed gives the same codebook. */
  seed?: number;
  /** Most Lloyd iterations (default 100); they stop early when no center moves. */
  maxIterations?: number;
}

/** A codebook (ascending float32 values) and each input value's nearest entry. */
export interface Codebook {
  codebook: Float32Array;
  indices: Uint8Array | Uint16Array;
  /** Lloyd iterations run. */
  iterations: number;
}

/** Index of the entry of ascending `table` nearest to `v` (ties to the lower entry; NaN to the entry nearest 0). */
export function nearestEntry(table: ArrayLike<number>, v: number): number {
  if (v !== v) v = 0;
  let lo = 0;
  let hi = table.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (table[mid + 1]! <= v) lo = mid + 1;
    else if (table[mid]! >= v) hi = mid;
    else { lo = mid; hi = mid + 1; break; }
  }
  if (hi > lo && Math.abs(table[hi]! - v) < Math.abs(v - table[lo]!)) return hi;
  return lo;
}

/** First index of ascending `a` whose value is greater than `x`. */
function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** k-means++ seeding over ascending values: each new center drawn with probability ∝ squared distance. */
function seedCenters(sorted: Float64Array, k: number, rand: () => number): Float64Array {
  const n = sorted.length;
  const centers = new Float64Array(k);
  const d2 = new Float64Array(n);
  centers[0] = sorted[Math.min(n - 1, Math.floor(rand() * n))]!;
  for (let i = 0; i < n; i++) d2[i] = (sorted[i]! - centers[0]!) ** 2;
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += d2[i]!;
    let pick = n - 1;
    if (total > 0) {
      let r = rand() * total;
      for (let i = 0; i < n; i++) {
        r -= d2[i]!;
        if (r < 0) { pick = i; break; }
      }
    }
    const x = sorted[pick]!;
    centers[c] = x;
    for (let i = 0; i < n; i++) {
      const d = (sorted[i]! - x) ** 2;
      if (d < d2[i]!) d2[i] = d;
    }
  }
  return centers.sort();
}

/**
 * Clusters `values` into `k` (2 … 65536) entries. Non-finite values are left out of the fit
 * and mapped to the entry nearest 0. With at most k distinct values the codebook holds them
 * exactly (padded by repeating the largest). Throws E_OPTION for a bad k, E_DTYPE when no
 * value is finite.
 */
export function kmeans1d(values: Float32Array, k: number, options: KMeansOptions = {}): Codebook {
  if (!Number.isInteger(k) || k < 2 || k > 65536) throw new QtkError('E_OPTION', `k-means needs 2 … 65536 entries, got ${k}`, { option: 'codebookSize' });
  const finite = values.filter((v) => Number.isFinite(v));
  if (!finite.length) throw new QtkError('E_DTYPE', `k-means over ${values.length} values found none finite`);
  const sorted = Float64Array.from(finite).sort();
  const n = sorted.length;
  const distinct: number[] = [];
  for (let i = 0; i < n && distinct.length <= k; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  let centers: Float64Array;
  let iterations = 0;
  if (distinct.length <= k) {
    centers = new Float64Array(k).fill(distinct[distinct.length - 1]!);
    centers.set(distinct);
  } else {
    const prefix = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + sorted[i]!;
    centers = seedCenters(sorted, k, seededRandom(options.seed ?? 1));
    const maxIterations = options.maxIterations ?? 100;
    while (iterations < maxIterations) {
      iterations++;
      let moved = false;
      let start = 0;
      for (let c = 0; c < k; c++) {
        const end = c === k - 1 ? n : upperBound(sorted, (centers[c]! + centers[c + 1]!) / 2);
        if (end > start) {
          const mean = (prefix[end]! - prefix[start]!) / (end - start);
          if (mean !== centers[c]) { centers[c] = mean; moved = true; }
        }
        start = Math.max(start, end);
      }
      centers.sort();
      if (!moved) break;
    }
  }
  const codebook = Float32Array.from(centers).sort();
  const indices = k <= 256 ? new Uint8Array(values.length) : new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) indices[i] = nearestEntry(codebook, values[i]!);
  return { codebook, indices, iterations };
}
