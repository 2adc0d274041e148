/**
 * Reference evaluation of the shape-related ops constant folding handles, over Tensors.
 * Layout ops (Gather, Slice, Concat, Transpose, Expand, Where, reshapes) copy elements
 * bit for bit, so int64 extremes and half floats survive; arithmetic goes through JS
 * numbers (exact for float32 + - * /, since a double result rounds to the float32 one).
 * A kernel returns undefined when it does not handle the case, or when its result would
 * have more than `maxElements` elements (checked before anything that size is allocated);
 * folding then skips the node.
 */
import { allocData, dtypeFromOnnx, type TensorData } from '../ir/dtype.js';
import { attrInt, attrInts, getAttr, type Node } from '../ir/graph.js';
import { sizeOf, Tensor } from '../ir/tensor.js';
import { clampSlice } from '../shape/ops/slice.js';
import { normalizeAxis } from '../shape/dims.js';
import { broadcast, broadcastIndex, fromNumbers, numbers, PACKED, stridesOf, take, walk } from './tensorOps.js';

/**
 * Evaluates one single-output node over constant inputs (undefined entries are omitted
 * inputs); undefined when the result would exceed `maxElements` (default: no limit).
 */
export type FoldKernel = (node: Node, inputs: ReadonlyArray<Tensor | undefined>, opset: number, maxElements?: number) => Tensor | undefined;

/** True when a result of `dims` fits `maxElements` (undefined: no limit). */
const fits = (dims: readonly number[], maxElements = Infinity): boolean => sizeOf(dims) <= maxElements;

function ints(t: Tensor | undefined): number[] | undefined {
  return t && t.dtype !== 'string' ? t.toNumbers() : undefined;
}

/** Axes from the attribute or (newer opsets) input `i`. */
function axesOf(node: Node, inputs: ReadonlyArray<Tensor | undefined>, i: number): number[] | undefined {
  return attrInts(node, 'axes') ?? ints(inputs[i]);
}

const identity: FoldKernel = (_n, [x]) => x;

const cast: FoldKernel = (node, [x]) => {
  const code = attrInt(node, 'to');
  if (!x || code === undefined) return undefined;
  const to = dtypeFromOnnx(code);
  if (to === x.dtype) return x;
  const v = numbers(x);
  return v ? fromNumbers(to, x.dims, v) : undefined;
};

const shape: FoldKernel = (node, [x]) => {
  if (!x) return undefined;
  const r = x.dims.length;
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
  const s = clamp(attrInt(node, 'start', 0));
  const e = clamp(attrInt(node, 'end', r));
  const dims = x.dims.slice(s, Math.max(s, e));
  return fromNumbers('int64', [dims.length], dims);
};

const size: FoldKernel = (_n, [x]) => (x ? fromNumbers('int64', [], [x.size]) : undefined);

const reshaped = (x: Tensor, dims: number[]): Tensor | undefined => (sizeOf(dims) === x.size ? new Tensor(x.dtype, x.data, dims) : undefined);

const reshape: FoldKernel = (node, [x, s]) => {
  const target = ints(s);
  if (!x || !target) return undefined;
  const allowZero = attrInt(node, 'allowzero', 0) === 1;
  const dims = target.map((v, i) => (v === 0 && !allowZero ? x.dims[i]! : v));
  const at = dims.indexOf(-1);
  if (at >= 0) {
    const rest = sizeOf(dims.filter((_, i) => i !== at));
    if (rest === 0 || x.size % rest !== 0) return undefined;
    dims[at] = x.size / rest;
  }
  return reshaped(x, dims);
};

const flatten: FoldKernel = (node, [x]) => {
  if (!x) return undefined;
  const raw = attrInt(node, 'axis', 1);
  const a = raw < 0 ? raw + x.dims.length : raw;
  return reshaped(x, [sizeOf(x.dims.slice(0, a)), sizeOf(x.dims.slice(a))]);
};

const squeeze: FoldKernel = (node, inputs) => {
  const x = inputs[0];
  if (!x) return undefined;
  const raw = axesOf(node, inputs, 1);
  const drop = new Set(raw ? raw.map((a) => normalizeAxis(a, x.dims.length)) : x.dims.flatMap((d, i) => (d === 1 ? [i] : [])));
  if (drop.has(undefined)) return undefined;
  return reshaped(x, x.dims.filter((_, i) => !drop.has(i)));
};

const unsqueeze: FoldKernel = (node, inputs) => {
  const x = inputs[0];
  const raw = axesOf(node, inputs, 1);
  if (!x || !raw) return undefined;
  const r = x.dims.length + raw.length;
  const set = new Set(raw.map((a) => normalizeAxis(a, r)));
  if (set.has(undefined) || set.size !== raw.length) return undefined;
  const dims: number[] = [];
  let j = 0;
  for (let i = 0; i < r; i++) dims.push(set.has(i) ? 1 : x.dims[j++]!);
  return reshaped(x, dims);
};

const gather: FoldKernel = (node, [x, ind], _opset, maxElements) => {
  const iv = ints(ind);
  if (!x || !ind || !iv) return undefined;
  const a = normalizeAxis(attrInt(node, 'axis', 0), x.dims.length);
  if (a === undefined || !fits([...x.dims.slice(0, a), ...ind.dims, ...x.dims.slice(a + 1)], maxElements)) return undefined;
  const d = x.dims[a]!;
  const inner = sizeOf(x.dims.slice(a + 1));
  const outer = sizeOf(x.dims.slice(0, a));
  const idx = new Int32Array(outer * iv.length * inner);
  let k = 0;
  for (let o = 0; o < outer; o++) {
    for (const raw of iv) {
      const j = raw < 0 ? raw + d : raw;
      if (j < 0 || j >= d) return undefined;
      for (let i = 0; i < inner; i++) idx[k++] = (o * d + j) * inner + i;
    }
  }
  return take(x, [...x.dims.slice(0, a), ...ind.dims, ...x.dims.slice(a + 1)], idx);
};

const concat: FoldKernel = (node, inputs) => {
  const parts = inputs.filter((t): t is Tensor => t !== undefined);
  if (!parts.length) return undefined;
  const r = parts[0]!.dims.length;
  const a = normalizeAxis(attrInt(node, 'axis', 0), r);
  if (a === undefined || parts.some((p) => p.dims.length !== r || p.dtype !== parts[0]!.dtype)) return undefined;
  const dims = [...parts[0]!.dims];
  dims[a] = parts.reduce((s, p) => s + p.dims[a]!, 0);
  const outer = sizeOf(dims.slice(0, a));
  const inner = sizeOf(dims.slice(a + 1));
  if (PACKED.has(parts[0]!.dtype)) return undefined;
  const out = allocData(parts[0]!.dtype, sizeOf(dims)) as unknown as unknown[];
  let k = 0;
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const block = p.dims[a]! * inner;
      const src = p.data as unknown as unknown[];
      for (let i = 0; i < block; i++) out[k++] = src[o * block + i];
    }
  }
  return new Tensor(parts[0]!.dtype, out as unknown as TensorData, dims);
};

const slice: FoldKernel = (node, inputs, opset) => {
  const x = inputs[0];
  if (!x) return undefined;
  const old = opset < 10;
  const starts = old ? attrInts(node, 'starts') : ints(inputs[1]);
  const ends = old ? attrInts(node, 'ends') : ints(inputs[2]);
  if (!starts || !ends || starts.length !== ends.length) return undefined;
  const axes = (old ? attrInts(node, 'axes') : ints(inputs[3])) ?? starts.map((_, i) => i);
  const steps = (old ? undefined : ints(inputs[4])) ?? starts.map(() => 1);
  const own = stridesOf(x.dims);
  const dims = [...x.dims];
  const strides = [...own];
  let base = 0;
  for (let i = 0; i < starts.length; i++) {
    const a = normalizeAxis(axes[i]!, x.dims.length);
    const step = steps[i]!;
    if (a === undefined || !step) return undefined;
    const [s, e] = clampSlice(x.dims[a]!, starts[i]!, ends[i]!, step);
    dims[a] = Math.max(0, step > 0 ? Math.ceil((e - s) / step) : Math.ceil((s - e) / -step));
    strides[a] = own[a]! * step;
    base += s * own[a]!;
  }
  return take(x, dims, sizeOf(dims) ? walk(dims, strides, base) : []);
};

const transpose: FoldKernel = (node, [x]) => {
  if (!x) return undefined;
  const r = x.dims.length;
  const perm = attrInts(node, 'perm') ?? x.dims.map((_, i) => r - 1 - i);
  const own = stridesOf(x.dims);
  return take(x, perm.map((p) => x.dims[p]!), walk(perm.map((p) => x.dims[p]!), perm.map((p) => own[p]!)));
};

const expand: FoldKernel = (_n, [x, s], _opset, maxElements) => {
  const target = ints(s);
  if (!x || !target) return undefined;
  const dims = broadcast([x.dims, target]);
  return dims && fits(dims, maxElements) ? take(x, dims, broadcastIndex(dims, x.dims)) : undefined;
};

function arithmetic(op: string, integer: boolean): ((a: number, b: number) => number) | undefined {
  switch (op) {
    case 'Add': return (a, b) => a + b;
    case 'Sub': return (a, b) => a - b;
    case 'Mul': return (a, b) => a * b;
    case 'Div': return integer ? (a, b) => Math.trunc(a / b) : (a, b) => a / b;
    case 'Equal': return (a, b) => Number(a === b);
    default: return undefined;
  }
}

const binary: FoldKernel = (node, [a, b], _opset, maxElements) => {
  if (!a || !b || a.dtype !== b.dtype) return undefined;
  const integer = !a.dtype.startsWith('float') && a.dtype !== 'bfloat16';
  const f = arithmetic(node.opType, integer);
  const av = numbers(a);
  const bv = numbers(b);
  const dims = broadcast([a.dims, b.dims]);
  if (!f || !av || !bv || !dims || !fits(dims, maxElements)) return undefined;
  const ia = broadcastIndex(dims, a.dims);
  const ib = broadcastIndex(dims, b.dims);
  const out = new Float64Array(ia.length);
  for (let k = 0; k < out.length; k++) {
    const y = bv[ib[k]!]!;
    if (integer && node.opType === 'Div' && y === 0) return undefined;
    out[k] = f(av[ia[k]!]!, y);
  }
  return fromNumbers(node.opType === 'Equal' ? 'bool' : a.dtype, dims, out);
};

const where: FoldKernel = (_n, [c, x, y], _opset, maxElements) => {
  if (!c || !x || !y || x.dtype !== y.dtype || PACKED.has(x.dtype)) return undefined;
  const dims = broadcast([c.dims, x.dims, y.dims]);
  const cv = numbers(c);
  if (!dims || !cv || !fits(dims, maxElements)) return undefined;
  const [ic, ix, iy] = [c, x, y].map((t) => broadcastIndex(dims, t.dims)) as [Int32Array, Int32Array, Int32Array];
  const out = allocData(x.dtype, ic.length) as unknown as unknown[];
  const xd = x.data as unknown as unknown[];
  const yd = y.data as unknown as unknown[];
  for (let k = 0; k < ic.length; k++) out[k] = cv[ic[k]!] ? xd[ix[k]!] : yd[iy[k]!];
  return new Tensor(x.dtype, out as unknown as TensorData, dims);
};

const range: FoldKernel = (_n, [s, l, d], _opset, maxElements) => {
  if (!s || !l || !d) return undefined;
  const [start, limit, delta] = [s.get(0), l.get(0), d.get(0)];
  if (!delta) return undefined;
  const n = Math.max(Math.ceil((limit - start) / delta), 0);
  if (!Number.isSafeInteger(n) || !fits([n], maxElements)) return undefined;
  // Accumulate in the element type, as the ONNX definition (a loop adding delta) does.
  const round = s.dtype === 'float32' ? Math.fround : (v: number) => v;
  const out = new Float64Array(n);
  for (let i = 0, v = start; i < n; i++, v = round(v + delta)) out[i] = v;
  return fromNumbers(s.dtype, [n], out);
};

const constantOfShape: FoldKernel = (node, [s], _opset, maxElements) => {
  const dims = ints(s);
  if (!dims || dims.some((d) => d < 0) || !fits(dims, maxElements)) return undefined;
  const a = getAttr(node, 'value');
  const fill = a?.kind === 'tensor' ? a.value : new Tensor('float32', new Float32Array(1), [1]);
  if (fill.size !== 1) return undefined;
  return take(fill, dims, new Int32Array(sizeOf(dims)));
};

const reduceProd: FoldKernel = (node, inputs, opset) => {
  const x = inputs[0];
  const v = x && numbers(x);
  if (!x || !v) return undefined;
  const keep = attrInt(node, 'keepdims', 1) === 1;
  const raw = opset < 18 ? attrInts(node, 'axes') : ints(inputs[1]);
  if ((!raw || !raw.length) && attrInt(node, 'noop_with_empty_axes', 0) === 1) return x;
  const axes = new Set((raw?.length ? raw : x.dims.map((_, i) => i)).map((a) => normalizeAxis(a, x.dims.length)));
  const outDims = x.dims.map((d, i) => (axes.has(i) ? 1 : d));
  const own = stridesOf(outDims);
  const out = new Float64Array(sizeOf(outDims)).fill(1);
  const inIdx = walk(x.dims, x.dims.map((_, i) => (axes.has(i) ? 0 : own[i]!)));
  for (let k = 0; k < inIdx.length; k++) out[inIdx[k]!] *= v[k]!;
  return fromNumbers(x.dtype, keep ? outDims : x.dims.filter((_, i) => !axes.has(i)), out);
};

/** Fold kernels by op type. */
export const foldKernels: ReadonlyMap<string, FoldKernel> = new Map<string, FoldKernel>([
  ['Identity', identity], ['Cast', cast], ['Shape', shape], ['Size', size],
  ['Reshape', reshape], ['Flatten', flatten], ['Squeeze', squeeze], ['Unsqueeze', unsqueeze],
  ['Gather', gather], ['Concat', concat], ['Slice', slice], ['Transpose', transpose], ['Expand', expand],
  ['Add', binary], ['Sub', binary], ['Mul', binary], ['Div', binary], ['Equal', binary],
  ['Where', where], ['Range', range], ['ConstantOfShape', constantOfShape], ['ReduceProd', reduceProd],
]);
