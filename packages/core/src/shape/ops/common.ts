/** Helpers shared by the shape rules. */
import { dtypeFromOnnx, type DType } from '../../ir/dtype.js';
import { attrInt, attrInts, type Dim } from '../../ir/graph.js';
import type { Tensor } from '../../ir/tensor.js';
import { broadcastShapes, normalizeAxis } from '../dims.js';
import { fail, type RuleContext, type TensorInfo } from '../types.js';

/**
 * Elements at most this many are tracked as values: shape inference never materialises a
 * larger value, whatever the model declares (a `Range(0, 5e8)` gets a shape, no value).
 */
export const MAX_VALUES = 64;

/**
 * Largest rank shape inference spells out dim by dim. A shape operand declared (or
 * inferred) with more entries, such as a 5e8-long `Range` feeding Reshape, gives an
 * unknown shape instead of an array of that length.
 */
export const MAX_RANK = 1024;

/** `n` unknown dims (rank `n`, sizes undecided); an unknown shape, with a reason, past `MAX_RANK`. */
export function unknownDims(ctx: RuleContext, n: number, what = 'target shape'): Dim[] | undefined {
  if (n > MAX_RANK) return ctx.noShape(`${what} has ${n} entries, more than the ${MAX_RANK} dims shape inference tracks`);
  return new Array<Dim>(n).fill(null);
}

/** Whether values of this dtype are tracked (integers and bools that feed shape arithmetic). */
export function tracksValues(dtype: DType): boolean {
  return dtype === 'int64' || dtype === 'int32' || dtype === 'bool';
}

/** A TensorInfo with the given dtype and (possibly unknown) shape. */
export function info(dtype: DType, shape: Dim[] | undefined, value?: Dim[]): TensorInfo {
  const out: TensorInfo = { dtype };
  if (shape) out.shape = shape;
  if (value && shape && shape.length <= 1 && tracksValues(dtype) && value.length <= MAX_VALUES) out.value = value;
  return out;
}

/** The dtype named by an integer attribute holding an ONNX type code (Cast's `to`). */
export function dtypeAttr(ctx: RuleContext, name: string): DType | undefined {
  const code = attrInt(ctx.node, name);
  if (code === undefined) return undefined;
  try {
    return dtypeFromOnnx(code);
  } catch {
    fail(`attribute ${name}=${code} is not a known element type`);
  }
}

/** Broadcast shape of the given inputs; unknown (with a reason) if any shape is missing. */
export function broadcastInputs(ctx: RuleContext, indices: readonly number[]): Dim[] | undefined {
  const shapes: Dim[][] = [];
  for (const i of indices) {
    if (!ctx.has(i)) continue;
    const s = ctx.need(i).shape;
    if (!s) return ctx.noShape(`input ${i} has no known shape`);
    shapes.push(s);
  }
  const out = broadcastShapes(shapes);
  if (!out) fail(`inputs [${shapes.map((s) => `[${s.join(',')}]`).join(' ')}] do not broadcast`);
  return out;
}

/** The axis attribute normalized against `rank`; fails when out of range. */
export function axisAttr(ctx: RuleContext, rank: number, fallback: number, name = 'axis'): number {
  const raw = attrInt(ctx.node, name, fallback);
  const a = normalizeAxis(raw, rank);
  if (a === undefined) fail(`${name} ${raw} is out of range for rank ${rank}`);
  return a;
}

/** Axes from the attribute (older opsets) or from input `inputIndex` (newer); `null` when the input is not constant, undefined when absent. */
export function axesOf(ctx: RuleContext, inputIndex: number, rank: number): number[] | null | undefined {
  let raw: number[] | undefined = attrInts(ctx.node, 'axes');
  if (raw === undefined && ctx.has(inputIndex)) {
    const v = ctx.ints(inputIndex);
    if (!v) return null;
    raw = v;
  }
  if (raw === undefined) return undefined;
  return raw.map((a) => {
    const n = normalizeAxis(a, rank);
    if (n === undefined) fail(`axis ${a} is out of range for rank ${rank}`);
    return n;
  });
}

/** Element count of a shape when static, else undefined. */
export function staticSize(shape: readonly Dim[]): number | undefined {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number') return undefined;
    n *= d;
  }
  return n;
}

/** The TensorInfo of a constant tensor; small integer tensors carry their values. */
export function infoOfConstant(t: Tensor): TensorInfo {
  const out: TensorInfo = { dtype: t.dtype, shape: [...t.dims] };
  if (tracksValues(t.dtype) && t.dims.length <= 1 && t.size <= MAX_VALUES) out.value = t.toNumbers();
  return out;
}
