/**
 * Raw little-endian float32 bytes plus a shape, as a Tensor.
 * Example: 460,032 bytes with dims [-1, 1, 8, 8] give a float32 Tensor [1797, 1, 8, 8].
 */
import { QtkError } from '../errors/QtkError.js';
import { dataFromBytes } from '../ir/dtype.js';
import { Tensor, sizeOf } from '../ir/tensor.js';

/**
 * Reads raw float32 bytes as a Tensor of `dims` (data copied). One dim may be -1: it is
 * inferred from the byte count. `file` only labels errors. Throws E_CALIB_DATA when the
 * byte count does not fit.
 */
export function parseRawFloat32(bytes: Uint8Array, dims: readonly number[], file?: string): Tensor {
  const at = file ? `${file}: ` : '';
  const unknown = dims.filter((d) => d === -1).length;
  if (unknown > 1 || dims.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new QtkError('E_SHAPE', `${at}shape [${dims.join(',')}] is not valid: dims are non-negative integers, at most one -1`, { file });
  }
  if (bytes.byteLength % 4 !== 0) {
    throw new QtkError('E_CALIB_DATA', `${at}${bytes.byteLength} bytes is not a whole number of float32 values (4 bytes each)`, { file, offset: bytes.byteLength - (bytes.byteLength % 4) });
  }
  const count = bytes.byteLength / 4;
  let shape = [...dims];
  if (unknown) {
    const known = sizeOf(dims.filter((d) => d !== -1));
    if (known === 0 || count % known !== 0) {
      throw new QtkError('E_CALIB_DATA', `${at}${count} float32 values do not split into shape [${dims.join(',')}]`, { file });
    }
    shape = dims.map((d) => (d === -1 ? count / known : d));
  }
  const need = sizeOf(shape);
  if (need !== count) {
    throw new QtkError(
      'E_CALIB_DATA',
      `${at}${bytes.byteLength} bytes hold ${count} float32 values; shape [${shape.join(',')}] needs ${need} (${need * 4} bytes)`,
      { file, offset: Math.min(need, count) * 4 },
    );
  }
  return new Tensor('float32', dataFromBytes('float32', bytes, count, file), shape);
}
