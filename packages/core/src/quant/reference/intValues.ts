/**
 * Reading integer tensors and per-tensor/per-channel parameters for the reference operators.
 * Example: `intValues(uint8Tensor)` is an Int32Array of its elements; int4 data comes unpacked.
 */
import { QtkError } from '../../errors/QtkError.js';
import { isIntegerDType } from '../../ir/dtype.js';
import type { Tensor } from '../../ir/tensor.js';
import { unpackInt4 } from '../int4.js';

/** The elements of an integer tensor as an Int32Array (a copy; int4/uint4 unpacked, int64 narrowed). */
export function intValues(t: Tensor, what: string): Int32Array {
  if (!isIntegerDType(t.dtype)) throw new QtkError('E_DTYPE', `${what} must be an integer tensor, got ${t.dtype}`);
  if (t.dtype === 'int4' || t.dtype === 'uint4') return Int32Array.from(unpackInt4(t.data as Uint8Array, t.size, t.dtype === 'int4'));
  if (t.dtype === 'int64' || t.dtype === 'uint64') return Int32Array.from(t.toNumbers());
  return Int32Array.from(t.data as Int32Array);
}

/** Checks that `t` holds one of the 8-bit (or narrower) quantized types the integer operators take. */
export function checkQuantInput(t: Tensor, what: string): void {
  if (!['int8', 'uint8', 'int16', 'uint16', 'int4', 'uint4'].includes(t.dtype)) {
    throw new QtkError('E_DTYPE', `${what} must be int8, uint8, int16, uint16, int4 or uint4, got ${t.dtype}`);
  }
}

/** Checks that zero point `zp` has the dtype of the tensor `of` it belongs to (ONNX requires it). */
export function checkZeroPointType(zp: Tensor | undefined, of: Tensor, what: string): void {
  if (zp && zp.dtype !== of.dtype) throw new QtkError('E_DTYPE', `${what} is ${zp.dtype} but its input is ${of.dtype}; they must match`);
}

/**
 * Values of a parameter that is per-tensor (1 value) or per-channel (`count` values),
 * expanded to `count` entries; an absent tensor gives `fallback` everywhere.
 * Throws E_SHAPE naming the expected and actual sizes.
 */
export function perChannel(t: Tensor | undefined, count: number, what: string, fallback = 0): Float64Array {
  const out = new Float64Array(count);
  if (!t) return out.fill(fallback);
  const size = t.size;
  if (size !== 1 && size !== count) throw new QtkError('E_SHAPE', `${what} has ${size} values, expected 1 or ${count}`);
  const v = t.dtype === 'float32' ? (t.data as Float32Array) : t.toNumbers();
  for (let i = 0; i < count; i++) out[i] = v[size === 1 ? 0 : i]!;
  return out;
}

/** The single value of a per-tensor parameter (size 1); throws E_SHAPE otherwise. */
export function scalarOf(t: Tensor, what: string): number {
  if (t.size !== 1) throw new QtkError('E_SHAPE', `${what} must be a scalar (1 value), got ${t.size} values of dims [${t.dims.join(',')}]`);
  return t.get(0);
}
