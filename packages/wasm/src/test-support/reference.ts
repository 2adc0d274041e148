/** Naive JS references of the kernels for tests, and a seeded random source. */

/** Seeded uniform random numbers (LCG). */
export class Rand {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.s = (Math.imul(this.s, 1664525) + 1013904223) >>> 0;
    return this.s / 4294967296;
  }
  /** Uniform float in [lo, hi). */
  float(lo = -1, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }
  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** Float32Array of n uniform values. */
  f32(n: number, lo = -1, hi = 1): Float32Array {
    return Float32Array.from({ length: n }, () => this.float(lo, hi));
  }
}

/** Conv geometry for the references. */
export interface ConvGeom {
  N: number; C: number; H: number; W: number; M: number; group: number;
  kh: number; kw: number; sh: number; sw: number; dh: number; dw: number;
  pt: number; pl: number; pb: number; pr: number;
}

/** Output height and width of a conv geometry. */
export function convOut(g: ConvGeom): [number, number] {
  return [
    Math.floor((g.H + g.pt + g.pb - ((g.kh - 1) * g.dh + 1)) / g.sh) + 1,
    Math.floor((g.W + g.pl + g.pr - ((g.kw - 1) * g.dw + 1)) / g.sw) + 1,
  ];
}

/**
 * Direct convolution y[n,m,oh,ow] = sum x*w (+ bias) over any numbers; `pad` is the value
 * outside the image (the zero point for integer inputs).
 */
export function convRef(g: ConvGeom, x: ArrayLike<number>, w: ArrayLike<number>, bias?: ArrayLike<number>, pad = 0, xOff = 0, wOff: (m: number) => number = () => 0): number[] {
  const [OH, OW] = convOut(g);
  const Cg = g.C / g.group, Mg = g.M / g.group;
  const y: number[] = new Array(g.N * g.M * OH * OW).fill(0);
  for (let n = 0; n < g.N; n++) for (let m = 0; m < g.M; m++) {
    const gi = Math.floor(m / Mg);
    for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
      let s = bias ? bias[m]! : 0;
      for (let c = 0; c < Cg; c++) for (let ky = 0; ky < g.kh; ky++) for (let kx = 0; kx < g.kw; kx++) {
        const ih = oh * g.sh - g.pt + ky * g.dh, iw = ow * g.sw - g.pl + kx * g.dw;
        const inside = ih >= 0 && ih < g.H && iw >= 0 && iw < g.W;
        const xv = inside ? x[((n * g.C + gi * Cg + c) * g.H + ih) * g.W + iw]! : pad;
        s += (xv - xOff) * (w[((m * Cg + c) * g.kh + ky) * g.kw + kx]! - wOff(m));
      }
      y[((n * g.M + m) * OH + oh) * OW + ow] = s;
    }
  }
  return y;
}

/** C[M,N] = A[M,K] * B[K,N] over numbers, with zero points subtracted. */
export function matmulRef(M: number, K: number, N: number, a: ArrayLike<number>, b: ArrayLike<number>, za = 0, zb: (n: number) => number = () => 0): number[] {
  const c: number[] = new Array(M * N).fill(0);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += (a[i * K + k]! - za) * (b[k * N + j]! - zb(j));
    c[i * N + j] = s;
  }
  return c;
}

/** Round half to even. */
export function rne(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Largest |a-b| / (|b| + floor) over two arrays. */
export function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / (Math.abs(b[i]!) + floor));
  return m;
}
