/** Helpers to read protobufjs values (Long, bytes) into plain JS numbers and strings. */
import type Long from 'long';

/** A protobuf int64 (number or Long) as a JS number. */
export function num(x: unknown): number {
  if (typeof x === 'number') return x;
  if (x && typeof x === 'object' && 'toNumber' in x) return (x as Long).toNumber();
  return 0;
}

/** A protobuf int64 as a BigInt (exact). */
export function big(x: unknown): bigint {
  if (typeof x === 'number') return BigInt(x);
  if (x && typeof x === 'object' && 'toString' in x) return BigInt((x as Long).toString());
  return 0n;
}

const utf8Decoder = new TextDecoder();
const utf8Encoder = new TextEncoder();

/**
 * UTF-8 bytes to a string. An absent bytes field reads as protobufjs's default, a plain
 * empty array (not a Uint8Array), which is the empty string too.
 */
export function utf8(bytes: Uint8Array | readonly number[] | undefined): string {
  if (!bytes) return '';
  return utf8Decoder.decode(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes));
}

/** A string to UTF-8 bytes. */
export function toUtf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

/** A 64-bit integer as protobufjs writes it: two's-complement halves. */
export interface Int64Bits {
  low: number;
  high: number;
  unsigned: false;
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/**
 * The int64 to write for `value`: `exact` when given and still equal to `value` as a number
 * (so values beyond ±2^53 read from a file go back unchanged), else `value` itself, saturated to
 * the int64 range (2^63, the double nearest INT64_MAX, is written as INT64_MAX, not wrapped to
 * INT64_MIN). Returns undefined for a value that is not an integer (NaN, fractions).
 */
export function int64Bits(value: number, exact?: bigint): Int64Bits | undefined {
  let b: bigint;
  if (exact !== undefined && Number(exact) === value) b = exact;
  else if (!Number.isInteger(value)) return undefined;
  else b = BigInt(value);
  if (b > INT64_MAX) b = INT64_MAX;
  if (b < INT64_MIN) b = INT64_MIN;
  const u = BigInt.asUintN(64, b);
  return { low: Number(u & 0xffffffffn) | 0, high: Number(u >> 32n) | 0, unsigned: false };
}
