/**
 * Output error of a layer whose weight W is replaced by E: mean over tokens and columns of
 * (x·W − x·E)², computed the cheaper of two exact ways (float64 accumulation over float32 data):
 * directly, one product x·E per call (T·K·N), or through the Gram matrix G = xᵀx once per input
 * (T·K²) and then Σ_n d_nᵀ G d_n with d = W − E per call (K²·N), chosen when T > K.
 */

/** `x · W` of row-major x [T, K] and W [K, N]: [T, N]. */
export function matmul(x: Float32Array, w: ArrayLike<number>, t: number, k: number, n: number): Float64Array {
  const out = new Float64Array(t * n);
  for (let i = 0; i < t; i++) {
    const o = i * n;
    for (let c = 0; c < k; c++) {
      const xv = x[i * k + c]!;
      if (xv === 0) continue;
      const r = c * n;
      for (let j = 0; j < n; j++) out[o + j]! += xv * w[r + j]!;
    }
  }
  return out;
}

/** Mean squared difference of two equal-length arrays. */
export function meanSquaredError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    sum += d * d;
  }
  return a.length ? sum / a.length : 0;
}

/** xᵀx of row-major x [T, K]: [K, K]. */
export function gram(x: Float32Array, t: number, k: number): Float64Array {
  const g = new Float64Array(k * k);
  for (let i = 0; i < t; i++) {
    const row = i * k;
    for (let a = 0; a < k; a++) {
      const xa = x[row + a]!;
      if (xa === 0) continue;
      const ga = a * k;
      for (let b = a; b < k; b++) g[ga + b]! += xa * x[row + b]!;
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) g[a * k + b] = g[b * k + a]!;
  return g;
}

/** Gram matrices by activation rows, so layers reading one input share one. */
const GRAMS = new WeakMap<Float32Array, Float64Array>();

/** Measures the output error of replacement weights for one layer (x [T, K], W [K, N]). */
export class OutputErrorMeter {
  private readonly reference?: Float64Array;
  private readonly g?: Float64Array;

  constructor(private readonly x: Float32Array, private readonly w: Float32Array, private readonly t: number, private readonly k: number, private readonly n: number) {
    if (t > k) {
      let g = GRAMS.get(x);
      if (!g) { g = gram(x, t, k); GRAMS.set(x, g); }
      this.g = g;
    } else {
      this.reference = matmul(x, w, t, k, n);
    }
  }

  /** Mean over tokens and columns of (x·W − x·E)² for `e` [K, N]. */
  mse(e: ArrayLike<number>): number {
    const { t, k, n } = this;
    if (this.reference) return meanSquaredError(this.reference, matmul(this.x, e, t, k, n));
    const g = this.g!;
    const d = new Float64Array(k * n);
    for (let i = 0; i < d.length; i++) d[i] = this.w[i]! - e[i]!;
    const m = new Float64Array(k * n);
    for (let a = 0; a < k; a++) {
      const ma = a * n;
      for (let b = 0; b < k; b++) {
        const gab = g[a * k + b]!;
        if (gab === 0) continue;
        const db = b * n;
        for (let j = 0; j < n; j++) m[ma + j]! += gab * d[db + j]!;
      }
    }
    let sum = 0;
    for (let i = 0; i < d.length; i++) sum += d[i]! * m[i]!;
    return sum / (t * n);
  }
}
