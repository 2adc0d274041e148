/**
 * A constant tensor: element type, typed storage and dimensions, built in onnxruntime-common's
 * argument order: `new Tensor('float32', new Float32Array(6), [2, 3])` is a 2x3 float tensor,
 * `new Tensor('int64', [1n, 2n])` a 1-D int64 tensor of two elements.
 *
 * A @qtk/wasm Tensor and a core Tensor share storage and argument order, so converting is free:
 * `new Tensor(w.type, w.data, w.dims)` one way, `new WasmTensor(t.dtype, t.data, t.dims)` the other
 * (@qtk/wasm's `fromCoreTensor` / `toCoreTensor` do this with a dtype check).
 */
import { QtkError } from '../errors/QtkError.js';
import { allocData, type DType, type TensorData } from './dtype.js';
import { float16ToFloat32, bfloat16ToFloat32, float8e4m3fnToFloat32 } from './floatBits.js';
import { resolveTensorArgs } from './tensorArgs.js';
import { toInt64, type TensorValues } from './tensorValues.js';

export { toInt64, type TensorValues } from './tensorValues.js';

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** A tensor with concrete dims and storage; 4-bit data is packed, low nibble first. */
export class Tensor {
  /** Element type. */
  readonly dtype: DType;
  /** Typed storage (row-major; UTF-8 byte arrays for strings). */
  readonly data: TensorData;
  /** Dimensions (`[]` for a scalar). */
  readonly dims: readonly number[];

  /**
   * A tensor over `data` (typed storage, not copied; plain numbers, bigints or booleans are
   * encoded) with shape `dims`, 1-D `[data.length]` when omitted. Two plain number arrays are
   * always read as `(data, dims)`. Throws E_SHAPE when the storage does not fit `dims`.
   */
  constructor(dtype: DType, data: TensorData | TensorValues, dims?: readonly number[]);
  /**
   * @deprecated core's former argument order `(dtype, dims, data)`; use `new Tensor(dtype, data, dims)`
   * (onnxruntime-common's order). `npx tsx tools/codemods/tensor-order.ts` rewrites such calls.
   */
  constructor(dtype: DType, dims: readonly number[], data: TensorData);
  constructor(dtype: DType, x: TensorData | TensorValues | readonly number[], y?: readonly number[] | TensorData) {
    const { data, dims } = resolveTensorArgs(dtype, x, y);
    this.dtype = dtype;
    this.data = data;
    this.dims = dims;
  }

  /** Element count. */
  get size(): number {
    return sizeOf(this.dims);
  }

  /** A float32 tensor over `data` (no copy of a Float32Array) with shape `dims` (default 1-D); E_SHAPE if they disagree. */
  static fromFloat32(data: Float32Array | readonly number[], dims?: readonly number[]): Tensor;
  /**
   * @deprecated the former argument order `(dims, data)`; use `Tensor.fromFloat32(data, dims)`.
   * `npx tsx tools/codemods/tensor-order.ts` rewrites such calls.
   */
  static fromFloat32(dims: readonly number[], data: Float32Array): Tensor;
  static fromFloat32(x: Float32Array | readonly number[], y?: readonly number[] | Float32Array): Tensor {
    return new Tensor('float32', x, y as readonly number[] | undefined);
  }

  /** A zero-filled tensor. */
  static zeros(dtype: DType, dims: readonly number[]): Tensor {
    return new Tensor(dtype, allocData(dtype, sizeOf(dims)), dims);
  }

  /** A 1-D int64 tensor of the given values (shape operands). */
  static int64(values: readonly number[], dims: readonly number[] = [values.length]): Tensor {
    return new Tensor('int64', BigInt64Array.from(values, toInt64), dims);
  }

  /** A scalar (dims []) of the given dtype and value. */
  static scalar(dtype: DType, value: number): Tensor {
    const t = Tensor.zeros(dtype, []);
    t.set(0, value);
    return t;
  }

  /** Element `i` as a JS number (4-bit, half and float8 types decoded). */
  get(i: number): number {
    const d = this.data;
    switch (this.dtype) {
      case 'int4': { const b = (d as Uint8Array)[i >> 1]!; const v = i & 1 ? b >> 4 : b & 15; return v >= 8 ? v - 16 : v; }
      case 'uint4': { const b = (d as Uint8Array)[i >> 1]!; return i & 1 ? b >> 4 : b & 15; }
      case 'float16': return float16ToFloat32((d as Uint16Array)[i]!);
      case 'bfloat16': return bfloat16ToFloat32((d as Uint16Array)[i]!);
      case 'float8e4m3fn': return float8e4m3fnToFloat32((d as Uint8Array)[i]!);
      case 'int64': case 'uint64': return Number((d as BigInt64Array)[i]!);
      case 'string': throw new QtkError('E_DTYPE', 'string tensors have no numeric elements');
      default: return (d as Float32Array)[i]!;
    }
  }

  /** Sets element `i` from a JS number (integers for integer types, packed for 4-bit). */
  set(i: number, v: number): void {
    const d = this.data;
    switch (this.dtype) {
      case 'int4': case 'uint4': {
        const b = d as Uint8Array; const nib = v & 15; const j = i >> 1;
        b[j] = i & 1 ? (b[j]! & 0x0f) | (nib << 4) : (b[j]! & 0xf0) | nib; return;
      }
      case 'int64': (d as BigInt64Array)[i] = toInt64(v); return;
      case 'uint64': (d as BigUint64Array)[i] = BigInt(Math.trunc(v)); return;
      case 'float16': case 'bfloat16': case 'float8e4m3fn': case 'float8e4m3fnuz': case 'float8e5m2': case 'float8e5m2fnuz': case 'string':
        throw new QtkError('E_DTYPE', `set() does not encode ${this.dtype}; build the storage directly`);
      default: (d as Float32Array)[i] = v;
    }
  }

  /** All elements as float32 (copy; decodes half, bfloat16, float8, 4-bit, int64). */
  toFloat32(): Float32Array {
    if (this.dtype === 'float32') return (this.data as Float32Array).slice();
    const n = this.size;
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.get(i);
    return out;
  }

  /** All elements as JS numbers (int64 beyond 2^53 loses precision). */
  toNumbers(): number[] {
    const n = this.size;
    const out: number[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.get(i);
    return out;
  }
}
