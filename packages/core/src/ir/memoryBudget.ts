/**
 * The memory budget for values a model or its data can make large: a constant subgraph
 * that folds into a huge tensor, a `.npy` header declaring a huge shape, an image whose
 * header declares billions of pixels. Checks happen on the declared size, before any
 * allocation; what is over budget is refused with `E_MEMORY_BUDGET` (or, for constant
 * folding, simply left unfolded).
 *
 * Example: with the default 1 GiB, a `ConstantOfShape([65536, 65536])` (16 GiB of
 * float32) stays a node, and `checkTensorBytes(2 ** 31, ...)` throws.
 */
import { QtkError, type QtkErrorWhere } from '../errors/QtkError.js';

/** Default largest single value (tensor, decoded image) qtk allocates for untrusted input: 1 GiB. */
export const DEFAULT_MAX_TENSOR_BYTES = 2 ** 30;

/**
 * `maxTensorBytes` as given, checked: a positive number (Infinity turns the budget off);
 * undefined gives `DEFAULT_MAX_TENSOR_BYTES`. Anything else is E_OPTION.
 */
export function resolveMaxTensorBytes(value: number | undefined, option = 'maxTensorBytes'): number {
  if (value === undefined) return DEFAULT_MAX_TENSOR_BYTES;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new QtkError('E_OPTION', `${option} must be a positive number of bytes, got ${String(value)}`, { option });
  }
  return value;
}

/**
 * Throws E_MEMORY_BUDGET when `bytes` (the declared size of `what`) is over `budget`.
 * `what` names the value and its shape, e.g. `".npy array (100000, 100000) of <f4"`;
 * `setting` is what the message says to raise.
 */
export function checkTensorBytes(bytes: number, budget: number, what: string, where: QtkErrorWhere = {}, setting = 'maxTensorBytes (qtk: --memory-budget)'): void {
  if (!(bytes > budget)) return;
  throw new QtkError('E_MEMORY_BUDGET', `${what} needs ${formatBytes(bytes)} (${bytes} bytes), over the memory budget of ${formatBytes(budget)}; raise ${setting} if the input is trusted`, where);
}

/** Bytes as a short human string: `512 B`, `1.5 KiB`, `16.0 GiB`. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return `${n} B`;
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${v.toFixed(1)} ${units[u]}`;
}
