/**
 * The tensor type of the @qtk/wasm API, shaped like onnxruntime-common's Tensor:
 * `new Tensor('float32', data, [1, 3, 224, 224])` with `type`, `data` and `dims`.
 */
import { QtkError } from '@qtk/core';

/** Element types a session accepts and returns. */
export type TensorType = 'float32' | 'uint8' | 'int8' | 'int32' | 'int64' | 'bool';

/** Typed storage of each element type. */
export interface TensorDataMap {
  float32: Float32Array;
  uint8: Uint8Array;
  int8: Int8Array;
  int32: Int32Array;
  int64: BigInt64Array;
  bool: Uint8Array;
}

/** Any storage a Tensor may hold. */
export type TensorData = TensorDataMap[TensorType];

const CTORS = {
  float32: Float32Array, uint8: Uint8Array, int8: Int8Array, int32: Int32Array, int64: BigInt64Array, bool: Uint8Array,
} as const;

/** True when `t` names a supported element type. */
export function isTensorType(t: string): t is TensorType {
  return Object.prototype.hasOwnProperty.call(CTORS, t);
}

/** A dense tensor: element type, dimensions and typed storage (row-major). */
export class Tensor<T extends TensorType = TensorType> {
  readonly type: T;
  readonly data: TensorDataMap[T];
  readonly dims: readonly number[];

  /**
   * A tensor over `data` (no copy) with shape `dims` (default 1-D). Throws E_DTYPE when the
   * storage does not match `type`, E_SHAPE when its length does not match `dims`.
   */
  constructor(type: T, data: TensorDataMap[T] | readonly number[], dims?: readonly number[]) {
    if (!isTensorType(type)) throw new QtkError('E_DTYPE', `unsupported tensor type '${String(type)}'`);
    const ctor = CTORS[type];
    let d: TensorDataMap[T];
    if (Array.isArray(data)) {
      d = (type === 'int64' ? BigInt64Array.from(data.map((v) => BigInt(Math.trunc(v)))) : (ctor as unknown as { from(a: readonly number[]): TensorData }).from(data as number[])) as TensorDataMap[T];
    } else {
      if (!(data instanceof ctor)) throw new QtkError('E_DTYPE', `${type} tensor needs a ${ctor.name}, got ${(data as object)?.constructor?.name ?? typeof data}`);
      d = data as TensorDataMap[T];
    }
    const shape = dims ?? [d.length];
    let n = 1;
    for (const x of shape) {
      if (!Number.isInteger(x) || x < 0) throw new QtkError('E_SHAPE', `invalid dimension ${x} in [${shape.join(',')}]`);
      n *= x;
    }
    if (n !== d.length) throw new QtkError('E_SHAPE', `${type} data of ${d.length} elements does not fit dims [${shape.join(',')}]`);
    this.type = type;
    this.data = d;
    this.dims = Object.freeze([...shape]);
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }
}

/** The typed-array constructor of an element type. */
export function ctorOf(type: TensorType): (typeof CTORS)[TensorType] {
  return CTORS[type];
}
