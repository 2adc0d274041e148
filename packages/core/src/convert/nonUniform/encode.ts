/**
 * Non-uniform weight encodings: integer codes plus a float table the codes index.
 * 'codebook': k-means over the tensor's values (16 or 256 entries, one table per tensor).
 * 'log2': power-of-two levels times a per-channel scale (the channel's largest magnitude).
 */
import { QtkError } from '../../errors/QtkError.js';
import type { Tensor } from '../../ir/tensor.js';
import { kmeans1d } from '../../quant/kmeans.js';
import { log2Quantize } from '../../quant/log2.js';

/** Which non-uniform scheme, with its size. */
export type NonUniformScheme =
  | { kind: 'codebook'; entries: 16 | 256; seed?: number }
  | { kind: 'log2'; bits: 4 | 8; axis?: number };

/** A weight as codes into a table, optionally times a per-channel scale. */
export interface NonUniformWeight {
  dims: readonly number[];
  /** One code per element (0 … 15 for 4-bit, 0 … 255 for 8-bit), unpacked. */
  codes: Uint8Array;
  /** The values codes stand for (before the channel scale). */
  table: Float32Array;
  bits: 4 | 8;
  /** Per-channel factor along `axis` (log2). */
  channelScale?: { axis: number; values: Float32Array };
}

/** Encodes a float32 weight; throws E_DTYPE for other types, E_OPTION for a bad scheme. */
export function encodeNonUniform(w: Tensor, scheme: NonUniformScheme, name = '?'): NonUniformWeight {
  if (w.dtype !== 'float32') throw new QtkError('E_DTYPE', `non-uniform weight '${name}' is ${w.dtype}; expected float32`, { tensor: name });
  if (scheme.kind === 'codebook') {
    if (scheme.entries !== 16 && scheme.entries !== 256) {
      throw new QtkError('E_OPTION', `codebook of tensor '${name}' needs 16 or 256 entries, got ${String(scheme.entries)}`, { tensor: name, option: 'codebookSize' });
    }
    const { codebook, indices } = kmeans1d(w.data as Float32Array, scheme.entries, { seed: scheme.seed });
    return { dims: w.dims, codes: indices as Uint8Array, table: codebook, bits: scheme.entries === 16 ? 4 : 8 };
  }
  let axis = scheme.axis;
  if (axis !== undefined && axis < 0) axis += w.dims.length;
  const { codes, scale, levels } = log2Quantize(w, scheme.bits, axis);
  // One scale for the whole tensor folds into the table; per-channel scales stay a Mul.
  if (axis === undefined) return { dims: w.dims, codes, table: levels.map((l) => Math.fround(l * scale[0]!)), bits: scheme.bits };
  return { dims: w.dims, codes, table: levels, bits: scheme.bits, channelScale: { axis, values: scale } };
}

/** The float32 values a non-uniform weight expands to (what the expansion subgraph computes). */
export function decodeNonUniform(e: NonUniformWeight): Float32Array {
  const out = new Float32Array(e.codes.length);
  for (let i = 0; i < out.length; i++) out[i] = e.table[e.codes[i]!]!;
  const cs = e.channelScale;
  if (cs) {
    let inner = 1;
    for (let d = cs.axis + 1; d < e.dims.length; d++) inner *= e.dims[d]!;
    const channels = e.dims[cs.axis]!;
    for (let i = 0; i < out.length; i++) out[i] = Math.fround(out[i]! * cs.values[Math.floor(i / inner) % channels]!);
  }
  return out;
}
