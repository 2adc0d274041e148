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
