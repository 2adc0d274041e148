/**
 * com.microsoft GatherBlockQuantized from a float table D [rows, cols] (embeddings), gathered
 * along axis 0 and quantized in blocks along axis 1 (onnxruntime ContribOperators):
 *   4-bit: data int4/uint4 [rows, cols] (ONNX packing), zero points of the same type
 *          [rows, blocks] (default 0: left out for int4 symmetric);
 *   8-bit: data uint8 with bits=8, zero points uint8 [rows, blocks] (default 128: left out when symmetric);
 *   scales float [rows, blocks]; attributes gather_axis 0, quantize_axis 1, block_size (and bits).
 */
import { QtkError } from '@qtk/core';
import { Tensor } from '@qtk/core';
import type { Attribute } from '@qtk/core';
import { packInt4 } from '@qtk/core';
import { blockCodes, type BlockCodes } from '@qtk/core/internal';
import type { WeightOnlyType } from '@qtk/core';

/** The initializers and attributes of one GatherBlockQuantized. */
export interface GatherBlockQuantizedWeight {
  data: Tensor;
  scales: Tensor;
  zeroPoints?: Tensor;
  attributes: Attribute[];
  codes: BlockCodes;
}

/**
 * Quantizes a 2-D float32 table for GatherBlockQuantized. int4 takes signed codes (stored
 * value = code - 8), uint4/int8/uint8 unsigned ones. Throws E_SHAPE for a table that is not
 * 2-D, E_OPTION for a bad block size.
 */
export function packGatherBlockQuantized(t: Tensor, type: WeightOnlyType, blockSize: number, symmetric: boolean, name = '?'): GatherBlockQuantizedWeight {
  if (t.dims.length !== 2) throw new QtkError('E_SHAPE', `GatherBlockQuantized data '${name}' must be 2-D, got dims [${t.dims.join(',')}]`, { tensor: name });
  if (!(blockSize >= 16 && (blockSize & (blockSize - 1)) === 0)) {
    throw new QtkError('E_OPTION', `GatherBlockQuantized block_size ${blockSize} for '${name}' must be a power of two ≥ 16`, { tensor: name, option: 'blockSize' });
  }
  const bits = type === 'int4' || type === 'uint4' ? 4 : 8;
  const c = blockCodes(t, bits, blockSize, symmetric, name);
  const int = (n: string, value: number): Attribute => ({ name: n, value: { kind: 'int', value } });
  const attributes = [int('gather_axis', 0), int('quantize_axis', 1), int('block_size', blockSize)];
  const scales = new Tensor('float32', Float32Array.from(c.scales), [c.rows, c.blocks]);
  const pdims = [c.rows, c.blocks];
  if (bits === 8) {
    attributes.push(int('bits', 8));
    const out: GatherBlockQuantizedWeight = { data: new Tensor('uint8', c.codes, t.dims.slice()), scales, attributes, codes: c };
    if (!c.defaultZeroPoints) out.zeroPoints = new Tensor('uint8', Uint8Array.from(c.zeroPoints), pdims);
    return out;
  }
  if (type === 'int4') {
    // Signed storage: value = code - 8, zero point likewise (default 0).
    const shifted = Int8Array.from(c.codes, (v) => v - 8);
    const out: GatherBlockQuantizedWeight = { data: new Tensor('int4', packInt4(shifted), t.dims.slice()), scales, attributes, codes: c };
    if (!c.defaultZeroPoints) out.zeroPoints = new Tensor('int4', packInt4(Int8Array.from(c.zeroPoints, (v) => v - 8)), pdims);
    return out;
  }
  return {
    data: new Tensor('uint4', packInt4(c.codes), t.dims.slice()), scales, attributes, codes: c,
    zeroPoints: new Tensor('uint4', packInt4(c.zeroPoints), pdims),
  };
}
