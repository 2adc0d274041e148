/** Dense products and errors of the awq_lite search (float64 accumulation over float32 data). */

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
