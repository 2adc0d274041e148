/**
 * `--memory-budget SIZE`: the largest single value qtk materialises from the model or the
 * data (core's `maxTensorBytes`, default 1 GiB). Constant folding leaves larger results
 * in the graph; a .npy array or an image declaring more is refused before it is read.
 *
 * Example: `--memory-budget 4GiB` is 4294967296 bytes; `--memory-budget 512M` is 536870912.
 */
import { DEFAULT_MAX_TENSOR_BYTES, QtkError } from '@qtk/core';
import { formatBytes } from '@qtk/core/internal';
import { stringOpt, type OptionSpec, type ParsedArgs } from './args.js';

/** The option spec of `--memory-budget`, for the commands that read models or data. */
export const MEMORY_BUDGET_OPTION: Readonly<Record<string, OptionSpec>> = {
  'memory-budget': {
    type: 'string', value: 'SIZE',
    help: `largest single value read or computed from the model or data, e.g. 512MiB, 4GiB (default ${formatBytes(DEFAULT_MAX_TENSOR_BYTES)}); larger constants stay unfolded, larger .npy arrays and images are refused`,
  },
};

const UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30, t: 2 ** 40, tb: 2 ** 40, tib: 2 ** 40 };

/** Bytes from `4GiB`, `512M`, `1.5g` or `1073741824` (units are powers of 1024); undefined when the text is none of those. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return undefined;
  const bytes = Math.floor(Number(m[1]) * unit);
  return bytes > 0 ? bytes : undefined;
}

/** `--memory-budget` in bytes, or undefined when absent; E_OPTION when it is not a positive size. */
export function memoryBudgetOpt(args: ParsedArgs): number | undefined {
  const s = stringOpt(args, 'memory-budget');
  if (s === undefined) return undefined;
  const bytes = parseByteSize(s);
  if (bytes === undefined) throw new QtkError('E_OPTION', `--memory-budget must be a positive size such as 512MiB or 4GiB (units B, KiB, MiB, GiB, TiB), got '${s}'`, { option: 'memory-budget' });
  return bytes;
}
