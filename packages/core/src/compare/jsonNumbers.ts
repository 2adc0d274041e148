/**
 * JSON has no Infinity or NaN (JSON.stringify writes null). Reports that may hold them
 * convert to a JSON form where a non-finite number is the string 'Infinity',
 * '-Infinity' or 'NaN'; `Number(s)` reads it back.
 */

/** A number as written to JSON: finite numbers as they are, others as strings. */
export type JsonNumber = number | 'Infinity' | '-Infinity' | 'NaN';

/** `T` with every number replaced by a JsonNumber. */
export type WithJsonNumbers<T> = T extends number
  ? JsonNumber
  : T extends ReadonlyArray<infer U>
    ? Array<WithJsonNumbers<U>>
    : T extends object
      ? { [K in keyof T]: WithJsonNumbers<T[K]> }
      : T;

/** `x`, or its name when it is not finite. */
export function jsonNumber(x: number): JsonNumber {
  return Number.isFinite(x) ? x : (String(x) as JsonNumber);
}

/** A deep copy of plain data with every non-finite number written as a string. */
export function withJsonNumbers<T>(value: T): WithJsonNumbers<T> {
  if (typeof value === 'number') return jsonNumber(value) as WithJsonNumbers<T>;
  if (Array.isArray(value)) return value.map((v) => withJsonNumbers(v)) as WithJsonNumbers<T>;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = withJsonNumbers(v);
    return out as WithJsonNumbers<T>;
  }
  return value as WithJsonNumbers<T>;
}
