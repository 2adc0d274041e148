/**
 * Element-level helpers over Tensors for constant folding: numbers in and out, strided
 * element copies (bit-exact for every unpacked dtype) and numpy broadcasting.
 */
import { allocData, type DType, type TensorData } from '../ir/dtype.js';
import { sizeOf, Tensor } from '../ir/tensor.js';
import { encodeNumbers } from '../ir/tensorValues.js';

/** Dtypes stored packed (two per byte), which element copies cannot handle. */
export const PACKED = new Set<DType>(['int4', 'uint4']);

/** Elements of `t` as JS numbers (undefined for strings). */
export function numbers(t: Tensor): ArrayLike<number> | undefined {
  if (t.dtype === 'string') return undefined;
  if (t.data instanceof BigInt64Array || t.data instanceof BigUint64Array) return Float64Array.from(t.data, Number);
  if (['float16', 'bfloat16', 'int4', 'uint4'].includes(t.dtype) || t.dtype.startsWith('float8')) return t.toFloat32();
  return t.data as ArrayLike<number>;
}

/** A tensor of `dtype` from JS numbers; undefined for dtypes this module does not encode. */
export function fromNumbers(dtype: DType, dims: readonly number[], v: ArrayLike<number>): Tensor | undefined {
  const data = encodeNumbers(dtype, v);
  return data && new Tensor(dtype, data, dims);
}

/** Copies elements `src[idx[k]]` into a new tensor of `dims` (any unpacked dtype). */
export function take(t: Tensor, dims: readonly number[], idx: ArrayLike<number>): Tensor | undefined {
  if (PACKED.has(t.dtype)) return undefined;
  const out = allocData(t.dtype, idx.length) as unknown as unknown[];
  const src = t.data as unknown as unknown[];
  for (let k = 0; k < idx.length; k++) out[k] = src[idx[k]!];
  return new Tensor(t.dtype, out as unknown as TensorData, dims);
}

/** Row-major strides of `dims`. */
export function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length);
  let acc = 1;
  for (let i = dims.length - 1; i >= 0; i--) { s[i] = acc; acc *= dims[i]!; }
  return s;
}

/** Source indices for an output of `dims` walked with per-axis `strides` from `base`. */
export function walk(dims: readonly number[], strides: readonly number[], base = 0): Int32Array {
  const n = sizeOf(dims);
  const idx = new Int32Array(n);
  const r = dims.length;
  const counter = new Array<number>(r).fill(0);
  let cur = base;
  for (let k = 0; k < n; k++) {
    idx[k] = cur;
    for (let a = r - 1; a >= 0; a--) {
      counter[a]!++;
      cur += strides[a]!;
      if (counter[a]! < dims[a]!) break;
      cur -= strides[a]! * dims[a]!;
      counter[a] = 0;
    }
  }
  return idx;
}

/** Numpy broadcast of static shapes; undefined when they do not broadcast. */
export function broadcast(shapes: ReadonlyArray<readonly number[]>): number[] | undefined {
  const r = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(r).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = r - s.length + i;
      const d = s[i]!;
      if (d === out[o] || d === 1) continue;
      if (out[o] !== 1) return undefined;
      out[o] = d;
    }
  }
  return out;
}

/** Indices into a tensor of `dims` read while walking the broadcast shape `out`. */
export function broadcastIndex(out: readonly number[], dims: readonly number[]): Int32Array {
  const own = stridesOf(dims);
  const strides = out.map((_, i) => {
    const j = i - (out.length - dims.length);
    return j < 0 || dims[j] === 1 ? 0 : own[j]!;
  });
  return walk(out, strides);
}

/** Transposes a float32 [r, c] matrix. */
export function transpose2d(w: Tensor): Tensor {
  const [r, c] = w.dims as [number, number];
  const src = w.data as Float32Array;
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = src[i * c + j]!;
  return new Tensor('float32', out, [c, r]);
}
