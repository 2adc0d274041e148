/**
 * com.microsoft MatMulNBits from a float weight W [K, N] (onnxruntime ContribOperators):
 *   B           uint8 [N, k_blocks, blob_size], blob_size = block_size · bits / 8: for each output
 *               column n the codes of W[:, n] along K, block by block, 4-bit codes two per byte with
 *               the lower K index in the low nibble; the tail of the last block is padding.
 *   scales      float [N, k_blocks]
 *   zero_points uint8 [N, ceil(k_blocks · bits / 8)], packed like B (4-bit: block 2j low nibble,
 *               2j+1 high); left out when every zero point is the default 2^(bits-1).
 *   attributes  K, N, bits, block_size; Y = A · dequant(B)ᵀ (+ bias [N]).
 */
import { QtkError } from '@qtk/core';
import { Tensor } from '@qtk/core';
import type { Attribute } from '@qtk/core';
import { transpose2d } from '@qtk/core/internal';
import { blockCodes, type BlockCodes } from '@qtk/core/internal';

/** The initializers and attributes of one MatMulNBits. */
export interface MatMulNBitsWeight {
  K: number;
  N: number;
  bits: 4 | 8;
  blockSize: number;
  B: Tensor;
  scales: Tensor;
  zeroPoints?: Tensor;
  /** The codes the tensors were packed from (row n = output column n). */
  codes: BlockCodes;
}

/** Packs codes of one row (length ≥ count) into `out` from `at`, `bits` per code, low bits first. */
function packRow(codes: Uint8Array, from: number, count: number, bits: 4 | 8, out: Uint8Array, at: number, pad: number): void {
  if (bits === 8) {
    out.set(codes.subarray(from, from + count), at);
    return;
  }
  for (let k = 0; k < count; k += 2) {
    const lo = codes[from + k]!;
    const hi = k + 1 < count ? codes[from + k + 1]! : pad;
    out[at + (k >> 1)] = lo | (hi << 4);
  }
}

/**
 * Quantizes W [K, N] (float32) for MatMulNBits; `transposed` says W is given as [N, K]
 * (Gemm with transB=1). Throws E_SHAPE for a weight that is not 2-D, E_OPTION for a block
 * size that is not a power of two ≥ 16.
 */
export function packMatMulNBits(w: Tensor, bits: 4 | 8, blockSize: number, symmetric: boolean, name = '?', transposed = false): MatMulNBitsWeight {
  if (w.dims.length !== 2) throw new QtkError('E_SHAPE', `MatMulNBits weight '${name}' must be 2-D, got dims [${w.dims.join(',')}]`, { tensor: name });
  if (!(blockSize >= 16 && (blockSize & (blockSize - 1)) === 0)) {
    throw new QtkError('E_OPTION', `MatMulNBits block_size ${blockSize} for '${name}' must be a power of two ≥ 16`, { tensor: name, option: 'blockSize' });
  }
  const wt = transposed ? w : transpose2d(w);
  const [N, K] = wt.dims as [number, number];
  const c = blockCodes(wt, bits, blockSize, symmetric, name);
  const blob = (blockSize * bits) / 8;
  const nb = c.blocks;
  const b = new Uint8Array(N * nb * blob);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < nb; j++) {
      const k0 = j * blockSize;
      const count = Math.min(blockSize, K - k0);
      const z = c.zeroPoints[n * nb + j]!;
      // Padding past K holds the zero point, so it dequantizes to 0.
      if (count < blockSize) b.fill(bits === 4 ? z | (z << 4) : z, (n * nb + j) * blob, (n * nb + j + 1) * blob);
      packRow(c.codes, n * K + k0, count, bits, b, (n * nb + j) * blob, z);
    }
  }
  const out: MatMulNBitsWeight = {
    K, N, bits, blockSize, codes: c,
    B: new Tensor('uint8', b, [N, nb, blob]),
    scales: new Tensor('float32', Float32Array.from(c.scales), [N, nb]),
  };
  if (!c.defaultZeroPoints) {
    const per = Math.ceil((nb * bits) / 8);
    const zp = new Uint8Array(N * per);
    for (let n = 0; n < N; n++) packRow(c.zeroPoints, n * nb, nb, bits, zp, n * per, 1 << (bits - 1));
    out.zeroPoints = new Tensor('uint8', zp, [N, per]);
  }
  return out;
}

/** The attributes of a MatMulNBits node for `w`. */
export function matMulNBitsAttributes(w: MatMulNBitsWeight): Attribute[] {
  const int = (name: string, value: number): Attribute => ({ name, value: { kind: 'int', value } });
  return [int('K', w.K), int('N', w.N), int('bits', w.bits), int('block_size', w.blockSize)];
}
