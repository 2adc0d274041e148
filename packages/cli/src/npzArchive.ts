/**
 * NumPy `.npz` archives (what `np.savez` and `np.savez_compressed` write): a zip of
 * `.npy` files, one array per key, read into Tensors keyed by the entry name without
 * `.npy`.
 *
 * Example: `parseNpz(bytes, 'calib.npz')` of `np.savez(f, input_ids=ids, attention_mask=m)`
 * is `[{ name: 'input_ids', tensor }, { name: 'attention_mask', tensor }]`.
 */
import { QtkError, checkTensorBytes, parseNpy, resolveMaxTensorBytes, type Tensor } from '@qtk/core';
import { listZip, unzipEntry } from './zipReader.js';

/** One array of a .npz archive. */
export interface NpzArray {
  /** Its key: the entry name without `.npy`. */
  name: string;
  tensor: Tensor;
}

/**
 * The arrays of .npz `bytes` in archive order; `file` names it in errors (E_CALIB_DATA,
 * E_UNSUPPORTED). An entry whose declared size is over `maxTensorBytes` (default core's
 * `DEFAULT_MAX_TENSOR_BYTES`) is E_MEMORY_BUDGET before it is inflated.
 */
export function parseNpz(bytes: Uint8Array, file: string, maxTensorBytes?: number): NpzArray[] {
  const budget = resolveMaxTensorBytes(maxTensorBytes);
  const entries = listZip(bytes, file);
  if (entries.length === 0) throw new QtkError('E_CALIB_DATA', `${file}: the .npz archive holds no arrays`, { file });
  const seen = new Set<string>();
  return entries.map((entry) => {
    if (!entry.name.endsWith('.npy')) {
      throw new QtkError('E_CALIB_DATA', `${file}: entry '${entry.name}' is not a .npy array; a .npz holds one NAME.npy per array`, { file });
    }
    const name = entry.name.slice(0, -'.npy'.length);
    if (seen.has(name)) throw new QtkError('E_CALIB_DATA', `${file}: array '${name}' is in the archive twice`, { file, tensor: name });
    seen.add(name);
    checkTensorBytes(entry.size, budget, `${file}: entry '${entry.name}' (uncompressed)`, { file, tensor: name });
    return { name, tensor: parseNpy(unzipEntry(bytes, entry, file), `${file}:${entry.name}`, { maxTensorBytes: budget }) };
  });
}
