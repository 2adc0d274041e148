/**
 * ONNX QuantizeLinear / DequantizeLinear / DynamicQuantizeLinear over core Tensors, computed
 * in float32 as onnxruntime does: `q = saturate(roundHalfToEven(x / scale) + zeroPoint)`,
 * `x = (q - zeroPoint) * scale`. Parameters are per-tensor, per-axis or per-block (see `QLayout`).
 * Example: `quantizeTensor(x, Float32Array.of(0.1), Int32Array.of(0), 'int8')` maps 0.25 to 2.
 */
import { QtkError } from '../errors/QtkError.js';
import { allocData, intRange, type DType } from '../ir/dtype.js';
import { Tensor } from '../ir/tensor.js';
import { float8FakeSpan, float8FakeSpanVar, float8Span, float8SpanVar, FLOAT8E4M3FN_VALUES, isFloat8QuantType } from './float8.js';
import { packInt4, unpackInt4 } from './int4.js';
import { forEachSpan, resolveQLayout, type QLayout, type ResolvedQLayout } from './layout.js';
import { roundHalfToEven } from './round.js';

export type { QLayout } from './layout.js';

/** Integer storage a kernel reads or writes (4-bit data unpacked to one value per byte). */
type IntStore = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

/** 1.5 * 2^52: `v + ROUND_MAGIC - ROUND_MAGIC` rounds half to even for |v| < 2^51 (larger values saturate anyway). */
const ROUND_MAGIC = 6755399441055744;

/** Dtypes QuantizeLinear can produce. */
const QUANT_TARGETS = new Set<DType>(['int8', 'uint8', 'int16', 'uint16', 'int4', 'uint4']);
/** Dtypes DequantizeLinear can read. */
const DEQUANT_SOURCES = new Set<DType>(['int8', 'uint8', 'int16', 'uint16', 'int32', 'int4', 'uint4']);

/** The float32 values of a float tensor (float32 storage itself, other float types decoded). */
function floatValues(x: Tensor, op: string): Float32Array {
  if (x.dtype === 'float32') return x.data as Float32Array;
  if (x.dtype === 'float16' || x.dtype === 'bfloat16' || x.dtype === 'float64') return x.toFloat32();
  throw new QtkError('E_DTYPE', `${op} needs a float input, got ${x.dtype}`);
}

/** Integer range of a quantization target; E_DTYPE for anything else. */
function targetRange(dtype: DType, op: string): [number, number] {
  if (!QUANT_TARGETS.has(dtype)) {
    throw new QtkError('E_DTYPE', `${op} cannot produce ${dtype}; expected int8, uint8, int16, uint16, int4, uint4 or float8e4m3fn`);
  }
  return intRange(dtype);
}

/** Checks parameter counts and values against a resolved layout; throws E_SHAPE / E_OPTION / E_DTYPE. */
function checkParams(
  dims: readonly number[], layout: QLayout | undefined, plan: ResolvedQLayout,
  scale: Float32Array, zeroPoint: Int32Array | undefined, lo: number, hi: number, op: string,
): void {
  const where = () => (plan.kind === 'perTensor' ? 'per-tensor' : `${plan.kind === 'perAxis' ? 'per-axis' : `per-block (blockSize ${plan.blockSize})`} along axis ${layout?.axis}`)
    + ` of dims [${dims.join(',')}]`;
  if (scale.length !== plan.paramCount) {
    throw new QtkError('E_SHAPE', `${op}: scale has ${scale.length} values, expected ${plan.paramCount} (dims [${plan.paramDims.join(',')}]) for ${where()}`);
  }
  if (zeroPoint && zeroPoint.length !== plan.paramCount) {
    throw new QtkError('E_SHAPE', `${op}: zero point has ${zeroPoint.length} values, expected ${plan.paramCount} (same as scale) for ${where()}`);
  }
  for (let i = 0; i < scale.length; i++) {
    const s = scale[i]!;
    if (!Number.isFinite(s) || s === 0) throw new QtkError('E_OPTION', `${op}: scale[${i}] is ${s}; scales must be finite and non-zero`, { option: 'scale' });
  }
  if (zeroPoint) {
    for (let i = 0; i < zeroPoint.length; i++) {
      const z = zeroPoint[i]!;
      if (z < lo || z > hi) throw new QtkError('E_DTYPE', `${op}: zeroPoint[${i}] = ${z} is outside the quantized range [${lo}, ${hi}]`);
    }
  }
}

/** Quantizes `src[start..end)` with one scale and zero point; NaN maps to the zero point. */
function quantSpan(src: Float32Array, out: IntStore, start: number, end: number, s: number, z: number, lo: number, hi: number): void {
  for (let i = start; i < end; i++) {
    let q = Math.fround(src[i]! / s) + ROUND_MAGIC - ROUND_MAGIC + z;
    q = q < lo ? lo : q > hi ? hi : q;
    out[i] = q === q ? q : z;
  }
}

/** Quantizes `src[start..end)` where element `start + k` uses parameter `p + k`. */
function quantSpanVar(src: Float32Array, out: IntStore, start: number, end: number, scale: Float32Array, zp: Int32Array, p: number, lo: number, hi: number): void {
  for (let i = start, j = p; i < end; i++, j++) {
    const z = zp[j]!;
    let q = Math.fround(src[i]! / scale[j]!) + ROUND_MAGIC - ROUND_MAGIC + z;
    q = q < lo ? lo : q > hi ? hi : q;
    out[i] = q === q ? q : z;
  }
}

/** Quantizes and dequantizes `src[start..end)` with one scale and zero point; NaN comes back as 0. */
function fakeSpan(src: Float32Array, out: Float32Array, start: number, end: number, s: number, z: number, lo: number, hi: number): void {
  for (let i = start; i < end; i++) {
    let q = Math.fround(src[i]! / s) + ROUND_MAGIC - ROUND_MAGIC + z;
    q = q < lo ? lo : q > hi ? hi : q;
    out[i] = q === q ? Math.fround((q - z) * s) : 0;
  }
}

/** Quantizes and dequantizes `src[start..end)` where element `start + k` uses parameter `p + k`. */
function fakeSpanVar(src: Float32Array, out: Float32Array, start: number, end: number, scale: Float32Array, zp: Int32Array, p: number, lo: number, hi: number): void {
  for (let i = start, j = p; i < end; i++, j++) {
    const s = scale[j]!;
    const z = zp[j]!;
    let q = Math.fround(src[i]! / s) + ROUND_MAGIC - ROUND_MAGIC + z;
    q = q < lo ? lo : q > hi ? hi : q;
    out[i] = q === q ? Math.fround((q - z) * s) : 0;
  }
}

/** Quantizes `src` into `out` (integers) over a layout. */
function quantizeInto(src: Float32Array, out: IntStore, scale: Float32Array, zp: Int32Array, lo: number, hi: number, plan: ResolvedQLayout): void {
  forEachSpan(plan, (start, end, p, stride) => {
    if (stride === 0) quantSpan(src, out, start, end, scale[p]!, zp[p]!, lo, hi);
    else quantSpanVar(src, out, start, end, scale, zp, p, lo, hi);
  });
}

/**
 * ONNX QuantizeLinear: float tensor to a tensor of `dtype` (int4/uint4 packed, low nibble first).
 * `scale`/`zeroPoint` hold one value per tensor, per index of `layout.axis`, or per block
 * (dims of x with `dims[axis] = ceil(dims[axis] / blockSize)`).
 * Example: x [2, 3], `layout { axis: 1 }` takes 3 scales and 3 zero points.
 * `dtype` 'float8e4m3fn' quantizes as ONNX does for a float8 zero point (see float8.ts); its
 * zero points must be 0.
 * Throws E_SHAPE for parameter counts that do not fit, E_DTYPE for a target other than
 * int8/uint8/int16/uint16/int4/uint4/float8e4m3fn or a zero point outside it, E_OPTION for a zero or non-finite scale.
 */
export function quantizeTensor(x: Tensor, scale: Float32Array, zeroPoint: Int32Array, dtype: DType, layout?: QLayout): Tensor {
  if (isFloat8QuantType(dtype)) return quantizeFloat8(x, scale, zeroPoint, layout);
  const [lo, hi] = targetRange(dtype, 'QuantizeLinear');
  const src = floatValues(x, 'QuantizeLinear');
  const plan = resolveQLayout(x.dims, layout);
  checkParams(x.dims, layout, plan, scale, zeroPoint, lo, hi, 'QuantizeLinear');
  if (dtype === 'int4' || dtype === 'uint4') {
    const tmp = dtype === 'int4' ? new Int8Array(src.length) : new Uint8Array(src.length);
    quantizeInto(src, tmp, scale, zeroPoint, lo, hi, plan);
    return new Tensor(dtype, packInt4(tmp), x.dims.slice());
  }
  const out = allocData(dtype, src.length) as IntStore;
  quantizeInto(src, out, scale, zeroPoint, lo, hi, plan);
  return new Tensor(dtype, out, x.dims.slice());
}

/**
 * ONNX DequantizeLinear: integer tensor (int8, uint8, int16, uint16, int32, int4, uint4) to
 * float32, `(q - zeroPoint) * scale` in float32; no zero point means 0. A float8e4m3fn tensor
 * gives `float(q) * scale` (its zero points must be 0).
 * Example: uint8 [0, 128, 255] with scale 2 and zero point 128 gives [-256, 0, 254].
 */
export function dequantizeTensor(q: Tensor, scale: Float32Array, zeroPoint: Int32Array | undefined, layout?: QLayout): Tensor {
  if (isFloat8QuantType(q.dtype)) return dequantizeFloat8(q, scale, zeroPoint, layout);
  if (!DEQUANT_SOURCES.has(q.dtype)) {
    throw new QtkError('E_DTYPE', `DequantizeLinear cannot read ${q.dtype}; expected int8, uint8, int16, uint16, int32, int4, uint4 or float8e4m3fn`);
  }
  const [lo, hi] = intRange(q.dtype);
  const plan = resolveQLayout(q.dims, layout);
  checkParams(q.dims, layout, plan, scale, zeroPoint, lo, hi, 'DequantizeLinear');
  const n = q.size;
  const src: IntStore = q.dtype === 'int4' || q.dtype === 'uint4'
    ? unpackInt4(q.data as Uint8Array, n, q.dtype === 'int4')
    : (q.data as IntStore);
  const zp = zeroPoint ?? new Int32Array(plan.paramCount);
  const out = new Float32Array(n);
  forEachSpan(plan, (start, end, p, stride) => {
    if (stride === 0) {
      const s = scale[p]!;
      const z = zp[p]!;
      for (let i = start; i < end; i++) out[i] = Math.fround(Math.fround(src[i]! - z) * s);
      return;
    }
    for (let i = start, j = p; i < end; i++, j++) out[i] = Math.fround(Math.fround(src[i]! - zp[j]!) * scale[j]!);
  });
  return new Tensor('float32', out, q.dims.slice());
}

/**
 * ONNX DynamicQuantizeLinear: uint8 quantization with parameters from the data itself.
 * The range is `[min(0, min x), max(0, max x)]`, `scale = range / 255` (float32; 1 for an
 * all-zero input), zero point `roundHalfToEven(saturate(0 - min / scale))`. NaN inputs are
 * ignored for the range. Example: x [0, 2.55] gives scale 0.01, zero point 0, y [0, 255].
 */
export function dynamicQuantizeLinear(x: Tensor): { y: Tensor; scale: number; zeroPoint: number } {
  const src = floatValues(x, 'DynamicQuantizeLinear');
  let mn = 0;
  let mx = 0;
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  const range = Math.fround(mx - mn);
  const scale = range === 0 ? 1 : Math.fround(range / 255);
  const zf = Math.fround(0 - Math.fround(mn / scale));
  const zeroPoint = roundHalfToEven(zf < 0 ? 0 : zf > 255 ? 255 : zf);
  const y = quantizeTensor(x, Float32Array.of(scale), Int32Array.of(zeroPoint), 'uint8');
  return { y, scale, zeroPoint };
}

/**
 * Quantize-dequantize round trip of float data (fake quantization): float32 output of x's
 * dims whose values lie on the grid `scale * (q - zeroPoint)`, q in the range of `dtype`.
 * Same parameters and errors as `quantizeTensor`; no intermediate integer tensor is built.
 * For 'float8e4m3fn' the grid is `scale * v`, v a float8e4m3fn value, and NaN stays NaN.
 */
export function fakeQuantize(x: Tensor, scale: Float32Array, zeroPoint: Int32Array, dtype: DType, layout?: QLayout): Tensor {
  if (isFloat8QuantType(dtype)) return fakeQuantizeFloat8(x, scale, zeroPoint, layout);
  const [lo, hi] = targetRange(dtype, 'FakeQuantize');
  const src = floatValues(x, 'FakeQuantize');
  const plan = resolveQLayout(x.dims, layout);
  checkParams(x.dims, layout, plan, scale, zeroPoint, lo, hi, 'FakeQuantize');
  const out = new Float32Array(src.length);
  forEachSpan(plan, (start, end, p, stride) => {
    if (stride === 0) fakeSpan(src, out, start, end, scale[p]!, zeroPoint[p]!, lo, hi);
    else fakeSpanVar(src, out, start, end, scale, zeroPoint, p, lo, hi);
  });
  return new Tensor('float32', out, x.dims.slice());
}

/** Checks float8 parameters: counts as for integers, and every zero point 0 (a float8 zero). */
function float8Plan(dims: readonly number[], scale: Float32Array, zeroPoint: Int32Array | undefined, layout: QLayout | undefined, op: string): ResolvedQLayout {
  const plan = resolveQLayout(dims, layout);
  checkParams(dims, layout, plan, scale, zeroPoint, 0, 0, op);
  return plan;
}

/** Checks float8 parameters for `x`, then fills `out` span by span with `one` (one scale) or `each` (a scale per element). */
function float8Kernel<O extends Uint8Array | Float32Array>(
  x: Tensor, scale: Float32Array, zeroPoint: Int32Array, layout: QLayout | undefined, op: string, out: O,
  one: (src: Float32Array, out: O, start: number, end: number, s: number) => void,
  each: (src: Float32Array, out: O, start: number, end: number, scale: Float32Array, p: number) => void,
): O {
  const src = floatValues(x, op);
  const plan = float8Plan(x.dims, scale, zeroPoint, layout, op);
  forEachSpan(plan, (start, end, p, stride) => {
    if (stride === 0) one(src, out, start, end, scale[p]!);
    else each(src, out, start, end, scale, p);
  });
  return out;
}

/** QuantizeLinear to float8e4m3fn (saturate=1). */
function quantizeFloat8(x: Tensor, scale: Float32Array, zeroPoint: Int32Array, layout: QLayout | undefined): Tensor {
  const out = float8Kernel(x, scale, zeroPoint, layout, 'QuantizeLinear', new Uint8Array(x.size), float8Span, float8SpanVar);
  return new Tensor('float8e4m3fn', out, x.dims.slice());
}

/** DequantizeLinear of float8e4m3fn: `float(q) * scale` in float32. */
function dequantizeFloat8(q: Tensor, scale: Float32Array, zeroPoint: Int32Array | undefined, layout: QLayout | undefined): Tensor {
  const plan = float8Plan(q.dims, scale, zeroPoint, layout, 'DequantizeLinear');
  const src = q.data as Uint8Array;
  const out = new Float32Array(q.size);
  forEachSpan(plan, (start, end, p, stride) => {
    for (let i = start, j = p; i < end; i++, j += stride) out[i] = Math.fround(FLOAT8E4M3FN_VALUES[src[i]!]! * scale[j]!);
  });
  return new Tensor('float32', out, q.dims.slice());
}

/** Quantize-dequantize round trip onto the float8e4m3fn grid. */
function fakeQuantizeFloat8(x: Tensor, scale: Float32Array, zeroPoint: Int32Array, layout: QLayout | undefined): Tensor {
  const out = float8Kernel(x, scale, zeroPoint, layout, 'FakeQuantize', new Float32Array(x.size), float8FakeSpan, float8FakeSpanVar);
  return new Tensor('float32', out, x.dims.slice());
}
