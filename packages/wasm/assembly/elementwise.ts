// Elementwise FP32 kernels: binary ops with broadcasting and unary activations.

/** Binary op codes shared with the engine. */
export const ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAX = 4, MIN = 5, POW = 6;

@inline
function bin(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return a / b;
    case 4: return max(a, b);
    case 5: return min(a, b);
    default: return Mathf.pow(a, b);
  }
}

@inline
function binV(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case 0: return f32x4.add(a, b);
    case 1: return f32x4.sub(a, b);
    case 2: return f32x4.mul(a, b);
    case 3: return f32x4.div(a, b);
    case 4: return f32x4.max(a, b);
    default: return f32x4.min(a, b);
  }
}

/** One contiguous run: out[i] = a[i*as] op b[i*bs] for i < n, with strides 0 or 1. */
function binaryRun(op: i32, a: usize, as: i32, b: usize, bs: i32, out: usize, n: i32): void {
  let i = 0;
  if (op != POW) {
    if (as == 1 && bs == 1) {
      for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), binV(op, v128.load(a + (<usize>i << 2)), v128.load(b + (<usize>i << 2))));
    } else if (as == 1 && bs == 0) {
      const vb = v128.load32_splat(b);
      for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), binV(op, v128.load(a + (<usize>i << 2)), vb));
    } else if (as == 0 && bs == 1) {
      const va = v128.load32_splat(a);
      for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), binV(op, va, v128.load(b + (<usize>i << 2))));
    }
  }
  for (; i < n; i++) {
    store<f32>(out + (<usize>i << 2), bin(op, load<f32>(a + ((<usize>i * as) << 2)), load<f32>(b + ((<usize>i * bs) << 2))));
  }
}

/**
 * out = a op b over a 6-D iteration space: dims at `shape` (6 i32), element strides of a and
 * b at `astr`/`bstr` (6 i32 each, 0 where broadcast); the innermost stride must be 0 or 1.
 */
export function binaryF32(op: i32, a: usize, b: usize, out: usize, shape: usize, astr: usize, bstr: usize): void {
  const d0 = load<i32>(shape), d1 = load<i32>(shape, 4), d2 = load<i32>(shape, 8);
  const d3 = load<i32>(shape, 12), d4 = load<i32>(shape, 16), d5 = load<i32>(shape, 20);
  const as5 = load<i32>(astr, 20), bs5 = load<i32>(bstr, 20);
  let o: usize = out;
  for (let i0 = 0; i0 < d0; i0++) for (let i1 = 0; i1 < d1; i1++) for (let i2 = 0; i2 < d2; i2++)
  for (let i3 = 0; i3 < d3; i3++) for (let i4 = 0; i4 < d4; i4++) {
    const ao = i0 * load<i32>(astr) + i1 * load<i32>(astr, 4) + i2 * load<i32>(astr, 8) + i3 * load<i32>(astr, 12) + i4 * load<i32>(astr, 16);
    const bo = i0 * load<i32>(bstr) + i1 * load<i32>(bstr, 4) + i2 * load<i32>(bstr, 8) + i3 * load<i32>(bstr, 12) + i4 * load<i32>(bstr, 16);
    binaryRun(op, a + (<usize>ao << 2), as5, b + (<usize>bo << 2), bs5, o, d5);
    o += <usize>d5 << 2;
  }
}

/** Unary op codes shared with the engine. */
export const RELU = 0, CLIP = 1, SIGMOID = 2, TANH = 3, HARDSWISH = 4, HARDSIGMOID = 5, ERF = 6,
  GELU = 7, EXP = 8, LOG = 9, SQRT = 10, NEG = 11, ABS = 12, LEAKYRELU = 13, RECIPROCAL = 14,
  FLOOR = 15, CEIL = 16, SOFTPLUS = 17, ELU = 18, SIN = 19, COS = 20, ROUND = 21, SIGN = 22;

/** erf(x) from a Chebyshev-fitted erfc (fractional error below 1.2e-7). */
@inline
function erff(x: f32): f32 {
  const ax = Mathf.abs(x);
  if (ax > 4) return x > 0 ? 1 : -1;
  const t = 1.0 / (1.0 + 0.5 * <f64>ax);
  const y = 1.0 - t * Math.exp(-<f64>ax * <f64>ax - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return <f32>(x >= 0 ? y : -y);
}

@inline
function un(op: i32, x: f32, p0: f32, p1: f32): f32 {
  switch (op) {
    case 0: return max(x, 0);
    case 1: return min(max(x, p0), p1);
    case 2: return <f32>(1.0 / (1.0 + Math.exp(-<f64>x)));
    case 3: return <f32>Math.tanh(<f64>x);
    case 4: return x * min(max(x / 6 + 0.5, 0), 1);
    case 5: return min(max(p0 * x + p1, 0), 1);
    case 6: return erff(x);
    case 7: return <f32>(0.5 * <f64>x * (1.0 + <f64>erff(x * <f32>0.7071067811865476)));
    case 8: return Mathf.exp(x);
    case 9: return Mathf.log(x);
    case 10: return Mathf.sqrt(x);
    case 11: return -x;
    case 12: return Mathf.abs(x);
    case 13: return x >= 0 ? x : x * p0;
    case 14: return 1 / x;
    case 15: return Mathf.floor(x);
    case 16: return Mathf.ceil(x);
    case 17: return <f32>Math.log1p(Math.exp(<f64>x));
    case 18: return x >= 0 ? x : p0 * (Mathf.exp(x) - 1);
    case 19: return Mathf.sin(x);
    case 20: return Mathf.cos(x);
    case 21: return nearest<f32>(x);
    default: return x > 0 ? 1 : x < 0 ? -1 : x;
  }
}

/** out[i] = op(x[i]) for i < n; p0/p1 are the op's parameters (Clip bounds, alpha/beta). */
export function unaryF32(op: i32, x: usize, out: usize, n: i32, p0: f32, p1: f32): void {
  let i = 0;
  if (op == RELU || op == CLIP) {
    const lo = f32x4.splat(op == RELU ? 0 : p0), hi = f32x4.splat(op == RELU ? Infinity : p1);
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), f32x4.min(f32x4.max(v128.load(x + (<usize>i << 2)), lo), hi));
  }
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), un(op, load<f32>(x + (<usize>i << 2)), p0, p1));
}

/** y[c*inner + i] = x[...] * scale[c] + bias[c] over outer x C x inner (BatchNormalization at inference). */
export function channelAffine(x: usize, y: usize, outer: i32, C: i32, inner: i32, scale: usize, bias: usize): void {
  let p: usize = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < C; c++) {
      const s = load<f32>(scale + (<usize>c << 2)), b = load<f32>(bias + (<usize>c << 2));
      const vs = f32x4.splat(s), vb = f32x4.splat(b);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const q = p + (<usize>i << 2);
        v128.store(y + q, f32x4.add(f32x4.mul(v128.load(x + q), vs), vb));
      }
      for (; i < inner; i++) {
        const q = p + (<usize>i << 2);
        store<f32>(y + q, load<f32>(x + q) * s + b);
      }
      p += <usize>inner << 2;
    }
  }
}
