/**
 * Unsigned block codes of a matrix whose rows are quantized in blocks of `blockSize` along the
 * row: the form MatMulNBits (rows = output columns N, along K) and GatherBlockQuantized read.
 * Signed types are stored shifted by 2^(bits-1), so int4 symmetric is uint4 around zero point 8.
 */
import { QtkError } from '../../errors/QtkError.js';
import { Tensor } from '../../ir/tensor.js';
import { computeQParams } from '../../quant/qparams.js';
import { layoutMinMax } from '../../quant/layoutRange.js';
import { quantizeTensor } from '../../quant/quantize.js';
import { unpackInt4 } from '../../quant/int4.js';

/** Codes, scales and zero points of a [rows, cols] matrix in blocks along its rows. */
export interface BlockCodes {
  rows: number;
  cols: number;
  bits: 4 | 8;
  blockSize: number;
  /** Blocks per row: ceil(cols / blockSize). */
  blocks: number;
  /** Unsigned codes, one per element, [rows, cols] row-major (0 … 2^bits - 1). */
  codes: Uint8Array;
  /** One scale per block, [rows, blocks]. */
  scales: Float32Array;
  /** One unsigned zero point per block, [rows, blocks]. */
  zeroPoints: Uint8Array;
  /** True when every zero point is the default 2^(bits-1). */
  defaultZeroPoints: boolean;
}

/**
 * Quantizes a float32 [rows, cols] matrix in blocks along each row, with the scale and
 * zero point rules of `computeQParams` for uint4/uint8 (symmetric: zero point 2^(bits-1)).
 * Throws E_SHAPE for a tensor that is not 2-D, E_OPTION for a block size that is not positive.
 */
export function blockCodes(m: Tensor, bits: 4 | 8, blockSize: number, symmetric: boolean, name = '?'): BlockCodes {
  if (m.dims.length !== 2) throw new QtkError('E_SHAPE', `block codes of tensor '${name}' need a 2-D matrix, got dims [${m.dims.join(',')}]`, { tensor: name });
  if (!(Number.isInteger(blockSize) && blockSize > 0)) throw new QtkError('E_OPTION', `block size ${blockSize} must be a positive integer`, { option: 'blockSize', tensor: name });
  const [rows, cols] = m.dims as [number, number];
  const dtype = bits === 4 ? 'uint4' : 'uint8';
  const layout = { axis: 1, blockSize };
  const { min, max, plan } = layoutMinMax(m, layout);
  const { scale, zeroPoint } = computeQParams(min, max, { dtype, symmetric });
  const q = quantizeTensor(m, scale, zeroPoint, dtype, layout);
  const codes = bits === 4 ? (unpackInt4(q.data as Uint8Array, rows * cols, false) as Uint8Array) : (q.data as Uint8Array);
  const zeroPoints = Uint8Array.from(zeroPoint);
  const mid = 1 << (bits - 1);
  return { rows, cols, bits, blockSize, blocks: plan.blocks, codes, scales: scale, zeroPoints, defaultZeroPoints: zeroPoints.every((z) => z === mid) };
}

/** The float32 values block codes stand for, [rows, cols]: `(code - zeroPoint) * scale`. */
export function dequantizeBlockCodes(c: BlockCodes): Tensor {
  const out = new Float32Array(c.rows * c.cols);
  for (let r = 0; r < c.rows; r++) {
    for (let k = 0; k < c.cols; k++) {
      const p = r * c.blocks + Math.floor(k / c.blockSize);
      out[r * c.cols + k] = Math.fround((c.codes[r * c.cols + k]! - c.zeroPoints[p]!) * c.scales[p]!);
    }
  }
  return new Tensor('float32', out, [c.rows, c.cols]);
}
