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

@inline
function qadd16(a: usize, b: usize, y: usize, signed: bool, ra: v128, rb: v128, za: v128, zb: v128, zy: v128, lo: v128, hi: v128): void {
  const va = v128.load(a), vb = v128.load(b);
  const r0 = f32x4.add(f32x4.mul(f32x4.sub(widen4(va, signed, 0), za), ra), f32x4.mul(f32x4.sub(widen4(vb, signed, 0), zb), rb));
  const r1 = f32x4.add(f32x4.mul(f32x4.sub(widen4(va, signed, 1), za), ra), f32x4.mul(f32x4.sub(widen4(vb, signed, 1), zb), rb));
  const r2 = f32x4.add(f32x4.mul(f32x4.sub(widen4(va, signed, 2), za), ra), f32x4.mul(f32x4.sub(widen4(vb, signed, 2), zb), rb));
  const r3 = f32x4.add(f32x4.mul(f32x4.sub(widen4(va, signed, 3), za), ra), f32x4.mul(f32x4.sub(widen4(vb, signed, 3), zb), rb));
  const q0 = i32x4.min_s(i32x4.max_s(i32x4.add(i32x4.trunc_sat_f32x4_s(f32x4.nearest(r0)), zy), lo), hi);
  const q1 = i32x4.min_s(i32x4.max_s(i32x4.add(i32x4.trunc_sat_f32x4_s(f32x4.nearest(r1)), zy), lo), hi);
  const q2 = i32x4.min_s(i32x4.max_s(i32x4.add(i32x4.trunc_sat_f32x4_s(f32x4.nearest(r2)), zy), lo), hi);
  const q3 = i32x4.min_s(i32x4.max_s(i32x4.add(i32x4.trunc_sat_f32x4_s(f32x4.nearest(r3)), zy), lo), hi);
  const h0 = i16x8.narrow_i32x4_s(q0, q1), h1 = i16x8.narrow_i32x4_s(q2, q3);
  v128.store(y, signed ? i8x16.narrow_i16x8_s(h0, h1) : i8x16.narrow_i16x8_u(h0, h1));
}

/**
 * QLinearAdd over 8-bit operands: y = clamp(round((a-za)*sa/sy + (b-zb)*sb/sy) + zy, lo, hi).
 * a has n elements; b has n / bRepeat and is reused for each consecutive block of that size
 * (b broadcast along leading dims).
 */
export function qlinearAdd(a: usize, sa: f32, za: i32, b: usize, sb: f32, zb: i32, bRepeat: i32, signed: bool,
  y: usize, sy: f32, zy: i32, n: i32, lo: i32, hi: i32): void {
  const bn = n / bRepeat;
  const ra = sa / sy, rb = sb / sy;
  const vra = f32x4.splat(ra), vrb = f32x4.splat(rb), vza = f32x4.splat(<f32>za), vzb = f32x4.splat(<f32>zb);
  const vzy = i32x4.splat(zy), vlo = i32x4.splat(lo), vhi = i32x4.splat(hi);
  for (let r = 0; r < bRepeat; r++) {
    const ab = a + <usize>r * bn, yb = y + <usize>r * bn;
    let i = 0;
    for (; i + 16 <= bn; i += 16) qadd16(ab + i, b + i, yb + i, signed, vra, vrb, vza, vzb, vzy, vlo, vhi);
    for (; i < bn; i++) {
      const v = <f32>(read8(ab + i, signed) - za) * ra + <f32>(read8(b + i, signed) - zb) * rb;
      const q = <i32>nearest<f32>(min(max(v, <f32>(lo - zy - 1)), <f32>(hi - zy + 1))) + zy;
      store<u8>(yb + i, <u8>min(max(q, lo), hi));
    }
  }
}
