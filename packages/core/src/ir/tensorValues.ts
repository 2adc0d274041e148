/**
 * Typed storage from plain JS values: `encodeNumbers('int64', [1, 2])` is a BigInt64Array.
 * Shared by the Tensor constructor (array data) and constant folding.
 */
import { allocData, type DType, type TensorData } from './dtype.js';

/** Plain values a Tensor accepts instead of typed storage: numbers, bigints (64-bit types) or booleans (bool). */
export type TensorValues = readonly number[] | readonly bigint[] | readonly boolean[];

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** A number as int64, saturating (so INT64_MAX written as a double stays INT64_MAX). */
export function toInt64(v: number): bigint {
  if (Number.isNaN(v)) return 0n;
  if (v >= 2 ** 63) return INT64_MAX;
  if (v <= -(2 ** 63)) return INT64_MIN;
  return BigInt(Math.trunc(v));
}

/** Dtypes `encodeNumbers` writes (unpacked numeric types and bool). */
const WRITABLE = new Set<DType>(['float32', 'float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool']);

/**
 * Storage of `dtype` holding the numbers `v` (integers truncated, int64 saturating, bool as 0/1);
 * undefined for dtypes it does not encode (packed 4-bit, half, float8, string).
 */
export function encodeNumbers(dtype: DType, v: ArrayLike<number>): TensorData | undefined {
  if (!WRITABLE.has(dtype)) return undefined;
  const n = v.length;
  const data = allocData(dtype, n);
  if (dtype === 'int64') for (let i = 0; i < n; i++) (data as BigInt64Array)[i] = toInt64(v[i]!);
  else if (dtype === 'uint64') for (let i = 0; i < n; i++) (data as BigUint64Array)[i] = BigInt(Math.max(0, Math.trunc(v[i]!) || 0));
  else if (dtype === 'bool') for (let i = 0; i < n; i++) (data as Uint8Array)[i] = v[i] ? 1 : 0;
  else if (dtype === 'float32' || dtype === 'float64') (data as Float32Array).set(v);
  else for (let i = 0; i < n; i++) (data as Int32Array)[i] = Math.trunc(v[i]!) || 0;
  return data;
}

/**
 * Storage of `dtype` from plain values: numbers for numeric types, bigints for int64/uint64,
 * booleans for bool; undefined when the values do not suit the dtype.
 */
export function encodeValues(dtype: DType, values: TensorValues): TensorData | undefined {
  if (values.length === 0) return encodeNumbers(dtype, []);
  const first = typeof values[0];
  if (!values.every((x) => typeof x === first)) return undefined;
  if (first === 'number') return encodeNumbers(dtype, values as readonly number[]);
  if (first === 'bigint') {
    if (dtype === 'int64') return BigInt64Array.from(values as readonly bigint[]);
    if (dtype === 'uint64') return BigUint64Array.from(values as readonly bigint[]);
    return undefined;
  }
  if (first === 'boolean' && dtype === 'bool') return Uint8Array.from(values as readonly boolean[], (b) => (b ? 1 : 0));
  return undefined;
}
