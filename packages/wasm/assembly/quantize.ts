// QuantizeLinear / DequantizeLinear (per tensor or per axis), min/max for dynamic
// quantization, and QLinearAdd. Per-axis data is laid out as outer x C x inner; scale and
// zero point arrays (f32, i32) have C entries, or one when `perAxis` is false.

@inline
function read8(p: usize, signed: bool): i32 {
  return signed ? <i32>load<i8>(p) : <i32>load<u8>(p);
}

/** y (8-bit) = clamp(round_half_even(x / scale) + zp, lo, hi). */
export function quantizeF32(x: usize, y: usize, outer: i32, C: i32, inner: i32, scale: usize, zp: usize, perAxis: bool, lo: i32, hi: i32): void {
  const flo = <f32>lo, fhi = <f32>hi;
  let i: usize = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < C; c++) {
      const ci: usize = perAxis ? <usize>c << 2 : 0;
      const s = load<f32>(scale + ci);
      const z = <f32>load<i32>(zp + ci);
      const vs = f32x4.splat(s), vz = f32x4.splat(z), vlo = f32x4.splat(flo), vhi = f32x4.splat(fhi);
      let j = 0;
      for (; j + 8 <= inner; j += 8) {
        const p = x + ((i + j) << 2);
        const f0 = f32x4.min(f32x4.max(f32x4.add(f32x4.nearest(f32x4.div(v128.load(p), vs)), vz), vlo), vhi);
        const f1 = f32x4.min(f32x4.max(f32x4.add(f32x4.nearest(f32x4.div(v128.load(p, 16), vs)), vz), vlo), vhi);
        const h = i16x8.narrow_i32x4_s(i32x4.trunc_sat_f32x4_s(f0), i32x4.trunc_sat_f32x4_s(f1));
        v128.store64_lane(y + i + j, lo < 0 ? i8x16.narrow_i16x8_s(h, h) : i8x16.narrow_i16x8_u(h, h), 0);
      }
      for (; j < inner; j++) {
        const f = min(max(nearest<f32>(load<f32>(x + ((i + j) << 2)) / s) + z, flo), fhi);
        store<u8>(y + i + j, <u8><i32>f);
      }
      i += <usize>inner;
    }
  }
}

/** y (f32) = (x - zp) * scale for 8-bit x (bits = 8) or int32 x (bits = 32). */
export function dequantize(x: usize, bits: i32, signed: bool, y: usize, outer: i32, C: i32, inner: i32, scale: usize, zp: usize, perAxis: bool): void {
  let i: usize = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < C; c++) {
      const ci: usize = perAxis ? <usize>c << 2 : 0;
      const s = load<f32>(scale + ci);
      const z = load<i32>(zp + ci);
      for (let j = 0; j < inner; j++) {
        const q = bits == 32 ? load<i32>(x + ((i + j) << 2)) : read8(x + i + j, signed);
        store<f32>(y + ((i + j) << 2), <f32>(q - z) * s);
      }
      i += <usize>inner;
    }
  }
}

/** Writes min and max of n floats to out[0], out[1]. */
export function minMaxF32(x: usize, n: i32, out: usize): void {
  let vmin = f32x4.splat(Infinity), vmax = f32x4.splat(-Infinity);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    vmin = f32x4.min(vmin, v);
    vmax = f32x4.max(vmax, v);
  }
  let mn = min(min(f32x4.extract_lane(vmin, 0), f32x4.extract_lane(vmin, 1)), min(f32x4.extract_lane(vmin, 2), f32x4.extract_lane(vmin, 3)));
  let mx = max(max(f32x4.extract_lane(vmax, 0), f32x4.extract_lane(vmax, 1)), max(f32x4.extract_lane(vmax, 2), f32x4.extract_lane(vmax, 3)));
  for (; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    mn = min(mn, v);
    mx = max(mx, v);
  }
  store<f32>(out, mn);
  store<f32>(out, mx, 4);
}

@inline
function widen4(v: v128, signed: bool, part: i32): v128 {
  // 16 bytes -> the 4 int32 lanes of quarter `part`, as f32
  const h = part < 2 ? (signed ? i16x8.extend_low_i8x16_s(v) : i16x8.extend_low_i8x16_u(v)) : (signed ? i16x8.extend_high_i8x16_s(v) : i16x8.extend_high_i8x16_u(v));
  const w = (part & 1) == 0 ? i32x4.extend_low_i16x8_s(h) : i32x4.extend_high_i16x8_s(h);
  return f32x4.convert_i32x4_s(w);
}

/**
 * One element of onnxruntime's QLinearAdd (x86 AVX2 kernel): with ra = sa/sy, rb = sb/sy and
 * fixed = zy - fma(ra, za, rb*zb) in float32, y = round(fma(a, ra, fma(b, rb, fixed))) on the
 * raw codes; the fused multiply-adds are exact in f64 before their single rounding to f32.
 */
@inline
function qaddExact(a: i32, b: i32, ra: f32, rb: f32, fixed: f32, lo: i32, hi: i32): i32 {
  const t = <f32>(<f64>b * <f64>rb + <f64>fixed);
  const v = <f32>(<f64>a * <f64>ra + <f64>t);
  return min(max(<i32>nearest<f32>(min(max(v, <f32>(lo - 1)), <f32>(hi + 1))), lo), hi);
}

/** qaddExact with a scalar b: onnxruntime folds b * rb into the fixed part first (no fused add). */
@inline
function qaddScalarB(a: i32, ra: f32, fixedB: f32, lo: i32, hi: i32): i32 {
  const v = <f32>(<f64>a * <f64>ra + <f64>fixedB);
  return min(max(<i32>nearest<f32>(min(max(v, <f32>(lo - 1)), <f32>(hi + 1))), lo), hi);
}

/** Distance below which a float32 result may round differently without the fused multiply-adds. */
const TIE_EPS: f32 = 1.0 / 1024;

@inline
function qadd16(a: usize, b: usize, y: usize, signed: bool, ra: f32, rb: f32, fixed: f32, lo: i32, hi: i32): void {
  const va = v128.load(a), vb = v128.load(b);
  const vra = f32x4.splat(ra), vrb = f32x4.splat(rb), vfx = f32x4.splat(fixed);
  // float32 without fused multiply-adds; a lane within TIE_EPS of a rounding tie sends the
  // 16 elements to the exact path
  const r0 = f32x4.add(f32x4.mul(widen4(va, signed, 0), vra), f32x4.add(f32x4.mul(widen4(vb, signed, 0), vrb), vfx));
  const r1 = f32x4.add(f32x4.mul(widen4(va, signed, 1), vra), f32x4.add(f32x4.mul(widen4(vb, signed, 1), vrb), vfx));
  const r2 = f32x4.add(f32x4.mul(widen4(va, signed, 2), vra), f32x4.add(f32x4.mul(widen4(vb, signed, 2), vrb), vfx));
  const r3 = f32x4.add(f32x4.mul(widen4(va, signed, 3), vra), f32x4.add(f32x4.mul(widen4(vb, signed, 3), vrb), vfx));
  const n0 = f32x4.nearest(r0), n1 = f32x4.nearest(r1), n2 = f32x4.nearest(r2), n3 = f32x4.nearest(r3);
  const edge = f32x4.splat(<f32>0.5 - TIE_EPS);
  const near = v128.or(
    v128.or(f32x4.gt(f32x4.abs(f32x4.sub(r0, n0)), edge), f32x4.gt(f32x4.abs(f32x4.sub(r1, n1)), edge)),
    v128.or(f32x4.gt(f32x4.abs(f32x4.sub(r2, n2)), edge), f32x4.gt(f32x4.abs(f32x4.sub(r3, n3)), edge)),
  );
  if (v128.any_true(near)) {
    for (let i = 0; i < 16; i++) store<u8>(y + i, <u8>qaddExact(read8(a + i, signed), read8(b + i, signed), ra, rb, fixed, lo, hi));
    return;
  }
  const vlo = i32x4.splat(lo), vhi = i32x4.splat(hi);
  const q0 = i32x4.min_s(i32x4.max_s(i32x4.trunc_sat_f32x4_s(n0), vlo), vhi);
  const q1 = i32x4.min_s(i32x4.max_s(i32x4.trunc_sat_f32x4_s(n1), vlo), vhi);
  const q2 = i32x4.min_s(i32x4.max_s(i32x4.trunc_sat_f32x4_s(n2), vlo), vhi);
  const q3 = i32x4.min_s(i32x4.max_s(i32x4.trunc_sat_f32x4_s(n3), vlo), vhi);
  const h0 = i16x8.narrow_i32x4_s(q0, q1), h1 = i16x8.narrow_i32x4_s(q2, q3);
  v128.store(y, signed ? i8x16.narrow_i16x8_s(h0, h1) : i8x16.narrow_i16x8_u(h0, h1));
}

/**
 * QLinearAdd over 8-bit operands as onnxruntime's x86 kernel computes it (see qaddExact):
 * y = clamp(round(a*ra + b*rb + zy - (ra*za + rb*zb)), lo, hi) with ra = sa/sy, rb = sb/sy.
 * a has n elements; b has n / bRepeat and is reused for each consecutive block of that size
 * (b broadcast along leading dims); a b of one element takes onnxruntime's scalar form.
 */
export function qlinearAdd(a: usize, sa: f32, za: i32, b: usize, sb: f32, zb: i32, bRepeat: i32, signed: bool,
  y: usize, sy: f32, zy: i32, n: i32, lo: i32, hi: i32): void {
  const bn = n / bRepeat;
  const ra = sa / sy, rb = sb / sy;
  // onnxruntime's build contracts ra*za + rb*zb into one fused multiply-add
  const fixed = <f32>zy - <f32>(<f64>ra * <f64>za + <f64>(rb * <f32>zb));
  if (bn == 1) {
    const fixedB = fixed + <f32>read8(b, signed) * rb;
    for (let i = 0; i < n; i++) store<u8>(y + i, <u8>qaddScalarB(read8(a + i, signed), ra, fixedB, lo, hi));
    return;
  }
  for (let r = 0; r < bRepeat; r++) {
    const ab = a + <usize>r * bn, yb = y + <usize>r * bn;
    let i = 0;
    for (; i + 16 <= bn; i += 16) qadd16(ab + i, b + i, yb + i, signed, ra, rb, fixed, lo, hi);
    for (; i < bn; i++) store<u8>(yb + i, <u8>qaddExact(read8(ab + i, signed), read8(b + i, signed), ra, rb, fixed, lo, hi));
  }
}
