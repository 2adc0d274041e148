/**
 * Seeded mutators over model bytes: bit flips, byte inserts and deletes, truncation, and
 * protobuf-aware ones (a length prefix or a varint value set to an extreme, fields
 * dropped, duplicated or spliced in from a second model). Every draw comes from the `Rng`
 * passed in, so a mutation is reproducible from the generator's seed.
 * Example: `mutate(rng, digitsBytes, vadBytes)` gives `{ bytes, steps: ['splice 7.5<-7.5'] }`.
 */
import type { Rng } from '@qtk/models';
import { encodeVarint, flattenFields, parseMessage, serializeFields, withSource, type SpliceField, type WireField } from './wire.js';

/** An integer uniform in [0, n). */
export function randInt(rng: Rng, n: number): number {
  return Math.floor(rng.uniform() * n);
}

/** One element of `items`, uniformly. */
export function pickOne<T>(rng: Rng, items: readonly T[]): T {
  return items[randInt(rng, items.length)]!;
}

/** What a mutator gets: the bytes so far, their parse (lazily) and a donor model. */
export interface MutationInput {
  rng: Rng;
  bytes: Uint8Array;
  /** Fields of `bytes` as a tree; undefined when the bytes no longer parse. */
  tree(): WireField[] | undefined;
  /** A second model's bytes and tree, for splices. */
  donor: { bytes: Uint8Array; tree: WireField[] };
}

/** A mutator's result: new bytes and a short description of what it did. */
export interface Mutated {
  bytes: Uint8Array;
  step: string;
}

/** A named mutation; returns undefined when it does not apply (then another is drawn). */
export interface Mutator {
  name: string;
  apply(input: MutationInput): Mutated | undefined;
}

/** Byte values that tend to hit edge cases: zero, sign bits, all ones, varint continuation. */
const EDGE_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x08, 0x0a, 0x12];

/** Values a corrupted varint or length takes: small, off by one, sign and size boundaries. */
const EDGE_VALUES: readonly bigint[] = [0n, 1n, 2n, 7n, 127n, 128n, 255n, 65_535n, 2n ** 31n - 1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n, 2n ** 63n - 1n, 2n ** 64n - 1n, 1_000_000_000n];

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

const bitFlip: Mutator = {
  name: 'bitflip',
  apply({ rng, bytes }) {
    if (bytes.length === 0) return undefined;
    const out = new Uint8Array(bytes); // a copy: slice() of a Node Buffer is a view
    const n = 1 + randInt(rng, 8);
    for (let i = 0; i < n; i++) out[randInt(rng, out.length)]! ^= 1 << randInt(rng, 8);
    return { bytes: out, step: `bitflip x${n}` };
  },
};

const byteInsert: Mutator = {
  name: 'insert',
  apply({ rng, bytes }) {
    const n = 1 + randInt(rng, 16);
    const ins = Uint8Array.from({ length: n }, () => (rng.uniform() < 0.5 ? pickOne(rng, EDGE_BYTES) : randInt(rng, 256)));
    const at = randInt(rng, bytes.length + 1);
    return { bytes: splice(bytes, at, 0, ins), step: `insert ${n}@${at}` };
  },
};

const byteDelete: Mutator = {
  name: 'delete',
  apply({ rng, bytes }) {
    if (bytes.length === 0) return undefined;
    const at = randInt(rng, bytes.length);
    const n = Math.min(bytes.length - at, 1 + randInt(rng, 16));
    return { bytes: splice(bytes, at, n), step: `delete ${n}@${at}` };
  },
};

const truncate: Mutator = {
  name: 'truncate',
  apply({ rng, bytes }) {
    // half the cuts land in the last 64 bytes, where a file cut short in transfer ends
    const at = rng.uniform() < 0.5 ? Math.max(0, bytes.length - 1 - randInt(rng, 64)) : randInt(rng, bytes.length);
    return { bytes: new Uint8Array(bytes.subarray(0, at)), step: `truncate at ${at}` };
  },
};

/** A length prefix rewritten: the payload stays, so the message now claims too much or too little. */
const lengthCorrupt: Mutator = {
  name: 'length',
  apply({ rng, bytes, tree }) {
    const fields = flattenFields(tree() ?? []).filter((f) => f.wire === 2);
    if (fields.length === 0) return undefined;
    const f = pickOne(rng, fields);
    const len = f.end - f.valueStart;
    const choices = [len - 1, len + 1, len * 2, Math.floor(len / 2), 0];
    const value = rng.uniform() < 0.5 ? BigInt(Math.max(0, pickOne(rng, choices))) : pickOne(rng, EDGE_VALUES);
    return { bytes: splice(bytes, f.tagEnd, f.valueStart - f.tagEnd, encodeVarint(value)), step: `length ${f.path}=${value}` };
  },
};

/** A varint value (a dim, a data type, a version, an attribute type) set to an edge value. */
const varintCorrupt: Mutator = {
  name: 'varint',
  apply({ rng, bytes, tree }) {
    const fields = flattenFields(tree() ?? []).filter((f) => f.wire === 0);
    if (fields.length === 0) return undefined;
    const f = pickOne(rng, fields);
    const value = rng.uniform() < 0.8 ? pickOne(rng, EDGE_VALUES) : BigInt(randInt(rng, 64));
    return { bytes: splice(bytes, f.tagEnd, f.end - f.tagEnd, encodeVarint(value)), step: `varint ${f.path}=${value}` };
  },
};

/** The messages of a tree that have children, with the list that holds them. */
function messages(list: SpliceField[], out: SpliceField[][] = []): SpliceField[][] {
  out.push(list);
  for (const f of list) if (!('raw' in f) && f.children) messages(f.children, out);
  return out;
}

/** Fields dropped, duplicated, or spliced in from the donor at the same path (else anywhere). */
const fieldSplice: Mutator = {
  name: 'splice',
  apply({ rng, bytes, tree, donor }) {
    const parsed = tree();
    if (!parsed?.length) return undefined;
    const root = withSource(parsed, bytes);
    const lists = messages(root).filter((l) => l.length > 0);
    const list = pickOne(rng, lists);
    const i = randInt(rng, list.length);
    const item = list[i]!;
    const target = { path: 'raw' in item ? '?' : item.path };
    const kind = randInt(rng, 4);
    let step: string;
    if (kind === 0) {
      list.splice(i, 1);
      step = `drop ${target.path}`;
    } else if (kind === 1) {
      list.splice(i, 0, list[i]!);
      step = `dup ${target.path}`;
    } else {
      const donorFields = flattenFields(donor.tree);
      const same = donorFields.filter((f) => f.path === target.path);
      const from = same.length ? pickOne(rng, same) : pickOne(rng, donorFields);
      const raw = { raw: donor.bytes.subarray(from.start, from.end) };
      if (kind === 2) list.splice(i, 1, raw);
      else list.splice(i, 0, raw);
      step = `splice ${target.path}${kind === 2 ? '=' : '<+'}${from.path}`;
    }
    return { bytes: serializeFields(root), step };
  },
};

/** All mutators, in the order their names are listed in campaign reports. */
export const MUTATORS: readonly Mutator[] = [bitFlip, byteInsert, byteDelete, truncate, lengthCorrupt, varintCorrupt, fieldSplice];

/**
 * Applies 1 to 3 mutations (mostly 1) to `bytes`; the protobuf-aware ones see a fresh parse
 * of the bytes so far. Returns the bytes and one description per applied mutation.
 */
export function mutate(rng: Rng, bytes: Uint8Array, tree: WireField[] | undefined, donor: MutationInput['donor']): { bytes: Uint8Array; steps: string[] } {
  const u = rng.uniform();
  const count = u < 0.6 ? 1 : u < 0.85 ? 2 : 3;
  const steps: string[] = [];
  let cur = bytes;
  let curTree: WireField[] | undefined | null = tree;
  for (let k = 0; k < count; k++) {
    const input: MutationInput = { rng, bytes: cur, donor, tree: () => (curTree === null ? (curTree = parseMessage(cur)) : curTree) };
    for (let attempt = 0; attempt < 8; attempt++) {
      const r = pickOne(rng, MUTATORS).apply(input);
      if (!r) continue;
      cur = r.bytes;
      curTree = null;
      steps.push(r.step);
      break;
    }
  }
  return { bytes: cur, steps };
}
