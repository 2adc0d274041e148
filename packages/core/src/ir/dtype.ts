/**
 * Element types of tensors, their ONNX enum numbers and storage.
 * 4-bit types are packed two per byte, low nibble first; float16, bfloat16 and
 * float8 keep their bit patterns (Uint16Array / Uint8Array).
 */
import { QtkError } from '../errors/QtkError.js';

/** Every element type the IR stores. */
export type DType =
  | 'float32' | 'float16' | 'bfloat16' | 'float64'
  | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64'
  | 'bool' | 'string' | 'int4' | 'uint4'
  | 'float8e4m3fn' | 'float8e4m3fnuz' | 'float8e5m2' | 'float8e5m2fnuz';

/** Typed storage of a tensor's elements (strings are kept as UTF-8 byte arrays). */
export type TensorData =
  | Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array
  | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Uint8Array[];

const ONNX_CODES: Record<DType, number> = {
  float32: 1, uint8: 2, int8: 3, uint16: 4, int16: 5, int32: 6, int64: 7, string: 8, bool: 9,
  float16: 10, float64: 11, uint32: 12, uint64: 13, bfloat16: 16, float8e4m3fn: 17,
  float8e4m3fnuz: 18, float8e5m2: 19, float8e5m2fnuz: 20, uint4: 21, int4: 22,
};
const BY_CODE = new Map<number, DType>(Object.entries(ONNX_CODES).map(([k, v]) => [v, k as DType]));

/** ONNX TensorProto.DataType number of a dtype: `onnxCode('float32') === 1`. */
export function onnxCode(dtype: DType): number {
  return ONNX_CODES[dtype];
}

/** The dtype of an ONNX TensorProto.DataType number; throws E_DTYPE if unknown. */
export function dtypeFromOnnx(code: number, where?: { tensor?: string }): DType {
  const d = BY_CODE.get(code);
  if (!d) throw new QtkError('E_DTYPE', `unsupported ONNX element type ${code}${where?.tensor ? ` of tensor '${where.tensor}'` : ''}`, where);
  return d;
}

/** Bits one element takes in storage: 4, 8, 16, 32 or 64 (0 for strings). */
export function bitsOf(dtype: DType): number {
  switch (dtype) {
    case 'int4': case 'uint4': return 4;
    case 'int8': case 'uint8': case 'bool': case 'float8e4m3fn': case 'float8e4m3fnuz':
    case 'float8e5m2': case 'float8e5m2fnuz': return 8;
    case 'int16': case 'uint16': case 'float16': case 'bfloat16': return 16;
    case 'float32': case 'int32': case 'uint32': return 32;
    case 'float64': case 'int64': case 'uint64': return 64;
    case 'string': return 0;
  }
}

/** Bytes of raw storage for `count` elements (4-bit types round up). */
export function byteLengthOf(dtype: DType, count: number): number {
  return Math.ceil((bitsOf(dtype) * count) / 8);
}

/** True for dtypes whose values are integers stored as integers. */
export function isIntegerDType(dtype: DType): boolean {
  return ['int4', 'uint4', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'].includes(dtype);
}

/** Inclusive integer range of an integer dtype: `intRange('int8')` is `[-128, 127]`. */
export function intRange(dtype: DType): [number, number] {
  switch (dtype) {
    case 'int4': return [-8, 7];
    case 'uint4': return [0, 15];
    case 'int8': return [-128, 127];
    case 'uint8': return [0, 255];
    case 'int16': return [-32768, 32767];
    case 'uint16': return [0, 65535];
    case 'int32': return [-2147483648, 2147483647];
    case 'uint32': return [0, 4294967295];
    default: throw new QtkError('E_DTYPE', `${dtype} has no integer range`);
  }
}

/** Allocates zeroed storage for `count` elements of `dtype`. */
export function allocData(dtype: DType, count: number): TensorData {
  switch (dtype) {
    case 'float32': return new Float32Array(count);
    case 'float64': return new Float64Array(count);
    case 'int8': return new Int8Array(count);
    case 'uint8': case 'bool': return new Uint8Array(count);
    case 'int16': return new Int16Array(count);
    case 'uint16': case 'float16': case 'bfloat16': return new Uint16Array(count);
    case 'int32': return new Int32Array(count);
    case 'uint32': return new Uint32Array(count);
    case 'int64': return new BigInt64Array(count);
    case 'uint64': return new BigUint64Array(count);
    case 'int4': case 'uint4': return new Uint8Array(Math.ceil(count / 2));
    case 'float8e4m3fn': case 'float8e4m3fnuz': case 'float8e5m2': case 'float8e5m2fnuz': return new Uint8Array(count);
    case 'string': return Array.from({ length: count }, () => new Uint8Array(0));
  }
}

/** Copies little-endian raw bytes into fresh storage for `count` elements. */
export function dataFromBytes(dtype: DType, bytes: Uint8Array, count: number, tensor?: string): TensorData {
  const need = byteLengthOf(dtype, count);
  if (dtype === 'string') throw new QtkError('E_DTYPE', `string tensor '${tensor ?? ''}' cannot come from raw bytes`, { tensor });
  if (bytes.byteLength !== need) {
    throw new QtkError('E_ONNX_DECODE', `tensor '${tensor ?? ''}' of ${count} ${dtype} needs ${need} bytes, has ${bytes.byteLength}`, { tensor });
  }
  const out = allocData(dtype, count) as Exclude<TensorData, Uint8Array[]>;
  new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(bytes);
  return out;
}

/** Little-endian raw bytes of storage (a view where possible, never a copy of strings). */
export function bytesOf(data: TensorData): Uint8Array {
  if (Array.isArray(data)) throw new QtkError('E_DTYPE', 'string tensors have no raw bytes');
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
