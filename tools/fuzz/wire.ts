/**
 * The protobuf wire format read generically, without a schema: a message is a list of
 * fields (tag varint, then a varint, a fixed 32/64-bit value or a length-prefixed payload);
 * a length-delimited payload that itself parses as a message is kept as `children`.
 * Mutators use the tree to find lengths, varints and whole fields, and `serializeFields`
 * writes a (spliced) tree back with every enclosing length recomputed.
 * Example: `parseMessage(bytes)` of an ONNX model has a field `no: 7` (the graph) whose
 * children include `no: 1` (nodes) and `no: 5` (initializers).
 */

/** Wire types a field may carry: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
export type WireType = 0 | 1 | 2 | 5;

/** One field of a parsed message, with its byte offsets in the parsed buffer. */
export interface WireField {
  /** Field number. */
  no: number;
  wire: WireType;
  /** Offset of the tag. */
  start: number;
  /** Offset just after the tag (a varint value or a length prefix starts here). */
  tagEnd: number;
  /** Offset of the value's payload (after the length prefix for wire type 2). */
  valueStart: number;
  /** Offset just after the field. */
  end: number;
  /** Field numbers from the root to this field, joined by dots ("7.1.4"). */
  path: string;
  /** Fields of the payload, when a wire type 2 payload parses as a message. */
  children?: WireField[];
}

/** Deepest nesting `parseMessage` looks into (ONNX graphs nest through attributes). */
export const MAX_WIRE_DEPTH = 12;

/** A varint at `pos`: its value (exact up to 2^53) and the offset after it, or undefined when malformed. */
export function readVarint(bytes: Uint8Array, pos: number, end = bytes.length): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= end) return undefined;
    const b = bytes[pos + i]!;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) return { value, next: pos + i + 1 };
  }
  return undefined;
}

/** The varint encoding of a non-negative integer (up to 2^64 - 1 as a bigint). */
export function encodeVarint(value: number | bigint): Uint8Array {
  let v = BigInt(value);
  if (v < 0n) v = BigInt.asUintN(64, v);
  const out: number[] = [];
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? b | 0x80 : b);
  } while (v > 0n);
  return Uint8Array.from(out);
}

/**
 * The fields of `bytes[start, end)` as a message, or undefined when the range is not a
 * well-formed message (a bad tag, an unknown wire type, a payload past the end).
 */
export function parseMessage(bytes: Uint8Array, start = 0, end = bytes.length, depth = 0, prefix = ''): WireField[] | undefined {
  const fields: WireField[] = [];
  let pos = start;
  while (pos < end) {
    const tag = readVarint(bytes, pos, end);
    if (!tag) return undefined;
    const no = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    if (no === 0 || no > 536_870_911) return undefined;
    const path = prefix ? `${prefix}.${no}` : String(no);
    const tagEnd = tag.next;
    let valueStart = tagEnd;
    let fieldEnd: number;
    if (wire === 0) {
      const v = readVarint(bytes, tagEnd, end);
      if (!v) return undefined;
      fieldEnd = v.next;
    } else if (wire === 1 || wire === 5) {
      fieldEnd = tagEnd + (wire === 1 ? 8 : 4);
    } else if (wire === 2) {
      const len = readVarint(bytes, tagEnd, end);
      if (!len) return undefined;
      valueStart = len.next;
      fieldEnd = valueStart + len.value;
    } else {
      return undefined;
    }
    if (fieldEnd > end) return undefined;
    const field: WireField = { no, wire: wire as WireType, start: pos, tagEnd, valueStart, end: fieldEnd, path };
    if (wire === 2 && depth < MAX_WIRE_DEPTH && fieldEnd > valueStart) {
      const children = parseMessage(bytes, valueStart, fieldEnd, depth + 1, path);
      if (children) field.children = children;
    }
    fields.push(field);
    pos = fieldEnd;
  }
  return fields;
}

/** Every field of a tree, parents before their children. */
export function flattenFields(fields: readonly WireField[], out: WireField[] = []): WireField[] {
  for (const f of fields) {
    out.push(f);
    if (f.children) flattenFields(f.children, out);
  }
  return out;
}

/** A field to write: one parsed from `src` (copied as is unless its children were edited), or raw bytes. */
export type SpliceField = (Omit<WireField, 'children'> & { src: Uint8Array; children?: SpliceField[] }) | { raw: Uint8Array };

/** Tags a parsed tree with the buffer it was parsed from, so fields of two buffers can be mixed. */
export function withSource(fields: readonly WireField[], src: Uint8Array): SpliceField[] {
  return fields.map((f) => ({ ...f, src, children: f.children ? withSource(f.children, src) : undefined }));
}

/** Writes a tree back to bytes; a field with children is re-encoded with its payload's new length. */
export function serializeFields(fields: readonly SpliceField[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const emit = (list: readonly SpliceField[]): number => {
    let total = 0;
    for (const f of list) {
      if ('raw' in f) {
        parts.push(f.raw);
        total += f.raw.length;
      } else if (f.children) {
        const tag = f.src.subarray(f.start, f.tagEnd);
        parts.push(tag);
        const lenAt = parts.length;
        parts.push(new Uint8Array(0));
        const n = emit(f.children);
        const len = encodeVarint(n);
        parts[lenAt] = len;
        total += tag.length + len.length + n;
      } else {
        parts.push(f.src.subarray(f.start, f.end));
        total += f.end - f.start;
      }
    }
    return total;
  };
  const n = emit(fields);
  const out = new Uint8Array(n);
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}
