/** Validation of the `offset` and `length` entries of a tensor's external data. */
import { QtkError } from '../errors/QtkError.js';

/** Where a tensor's bytes lie in its external data file. */
export interface ExternalRange {
  offset: number;
  /** The declared length; undefined when the entry is absent. */
  length?: number;
}

/**
 * Parses `offset` and `length` of tensor `tensor` stored in `location`: each must be
 * written as a non-negative decimal integer (no sign, fraction or exponent) no larger than
 * 2^53 - 1; anything else is E_EXTERNAL_DATA naming the tensor, the location and the entry.
 * Example: `parseExternalRange('0', '48', 'w', 'w.bin')` is `{ offset: 0, length: 48 }`.
 */
export function parseExternalRange(offset: string | undefined, length: string | undefined, tensor: string, location: string): ExternalRange {
  const parse = (key: string, text: string): number => {
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value)) {
      const why = /^\d+$/.test(text) ? 'too large' : 'not a non-negative integer';
      throw new QtkError('E_EXTERNAL_DATA', `tensor '${tensor}': external data '${location}' has ${key} '${text}', ${why}`, { tensor });
    }
    return value;
  };
  return {
    offset: offset === undefined ? 0 : parse('offset', offset),
    ...(length !== undefined && { length: parse('length', length) }),
  };
}
