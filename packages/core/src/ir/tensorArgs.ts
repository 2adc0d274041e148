/**
 * Which argument of `new Tensor(dtype, x, y)` is the data and which the dims.
 *
 * The order is onnxruntime-common's `(type, data, dims?)`; core's former `(dtype, dims, data)`
 * is still read, as a deprecated order. The rule, in this order:
 *
 * 1. `y` omitted: `x` is the data of a 1-D tensor, dims `[x.length]`
 *    (`new Tensor('float32', Float32Array.of(1, 2))` has dims `[2]`).
 * 2. `y` a plain array of numbers: `(data, dims)`. This includes the one truly ambiguous call,
 *    two plain number arrays (`new Tensor('float32', [1, 2], [2])`): it is always `(data, dims)`,
 *    since the old order never took plain values as data.
 * 3. `x` a plain array of numbers and `y` storage (a typed array, or UTF-8 byte arrays for
 *    strings): the deprecated `(dims, data)`.
 * 4. Anything else is an E_SHAPE error.
 *
 * Then dims must be non-negative integers and the storage must hold exactly their element
 * count (half of it, rounded up, for packed 4-bit types); otherwise E_SHAPE.
 */
import { QtkError } from '../errors/QtkError.js';
import type { DType, TensorData } from './dtype.js';
import { encodeValues, type TensorValues } from './tensorValues.js';

/** Data and dims of a tensor, and whether they came in the deprecated order. */
export interface TensorArgs {
  data: TensorData;
  dims: readonly number[];
  deprecatedOrder: boolean;
}

/** True for a typed array (not a DataView). */
function isTypedArray(x: unknown): x is Exclude<TensorData, Uint8Array[]> {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** True for a plain array whose every element is a number (the only shape dims take). */
function isNumberArray(x: unknown): x is readonly number[] {
  return Array.isArray(x) && x.every((v) => typeof v === 'number');
}

/** A short description of a value for error messages. */
function describe(x: unknown): string {
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (isTypedArray(x)) return `a ${x.constructor.name}`;
  return x === null ? 'null' : typeof x;
}

/** Typed storage from the data argument: typed arrays and string byte arrays as given, plain values encoded. */
function storageOf(dtype: DType, data: unknown): TensorData {
  if (isTypedArray(data)) return data;
  if (Array.isArray(data)) {
    if (dtype === 'string' && data.every((v) => v instanceof Uint8Array)) return data as Uint8Array[];
    const encoded = dtype === 'string' ? undefined : encodeValues(dtype, data as TensorValues);
    if (encoded) return encoded;
    throw new QtkError('E_DTYPE', `${dtype} tensor cannot hold these values (${describe(data)}); pass typed storage${dtype === 'string' ? ' (UTF-8 Uint8Arrays)' : ''}`);
  }
  throw new QtkError('E_SHAPE', `tensor data must be a typed array or an array of values, got ${describe(data)}`);
}

/** Storage length `dims` need: elements, or bytes for packed 4-bit types. */
function storageLength(dtype: DType, count: number): number {
  return dtype === 'int4' || dtype === 'uint4' ? Math.ceil(count / 2) : count;
}

/** Element count of a 1-D tensor over `data`; packed 4-bit storage cannot tell it. */
function impliedLength(dtype: DType, data: TensorData, given: unknown): number {
  if ((dtype === 'int4' || dtype === 'uint4') && isTypedArray(given)) {
    throw new QtkError('E_SHAPE', `packed ${dtype} storage of ${data.length} bytes needs explicit dims`);
  }
  return data.length;
}

/** Resolves the constructor's `(x, y)` into data and dims by the rule above; throws E_SHAPE or E_DTYPE. */
export function resolveTensorArgs(dtype: DType, x: unknown, y: unknown): TensorArgs {
  let rawData: unknown;
  let rawDims: unknown;
  let deprecatedOrder = false;
  if (y === undefined) rawData = x;
  else if (isNumberArray(y)) { rawData = x; rawDims = y; }
  else if (isNumberArray(x)) { rawData = y; rawDims = x; deprecatedOrder = true; }
  else throw new QtkError('E_SHAPE', `${dtype} tensor needs (data, dims): got ${describe(x)} and ${describe(y)}, neither an array of dims`);
  const data = storageOf(dtype, rawData);
  const dims = (rawDims as readonly number[] | undefined) ?? [impliedLength(dtype, data, rawData)];
  let count = 1;
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0) throw new QtkError('E_SHAPE', `invalid dimension ${d} in dims [${dims.join(',')}]`);
    count *= d;
  }
  const need = storageLength(dtype, count);
  if (data.length !== need) {
    throw new QtkError('E_SHAPE', `${dtype} data of ${data.length} ${dtype === 'int4' || dtype === 'uint4' ? 'bytes' : 'elements'} does not fit dims [${dims.join(',')}] (needs ${need})`);
  }
  return { data, dims, deprecatedOrder };
}
