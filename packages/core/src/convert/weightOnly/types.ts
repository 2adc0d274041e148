/** Options and result of the weight-only conversion. */
import type { OnePassResult } from '../../pipeline/types.js';

/** Integer types weight-only mode stores (4-bit or 8-bit codes). */
export type WeightOnlyType = 'int4' | 'uint4' | 'int8' | 'uint8';

/** Options of `convertWeightOnly`. */
export interface WeightOnlyOptions {
  /** Code width and signedness: 4-bit (int4/uint4) or 8-bit (int8/uint8). */
  weightType: WeightOnlyType;
  /** Block length along the reduction axis (a power of two ≥ 16). */
  blockSize: number;
  /** Symmetric blocks (zero point at the middle of the range) or asymmetric (min/max mapped to the ends). */
  symmetric: boolean;
  /**
   * Symmetric blocks on the narrow range (int4 [-7, 7], int8 [-127, 127]): scale = absmax / 7
   * for int4, as TensorRT Model Optimizer's INT4 export; default false (scale = 2·absmax / 15).
   */
  narrowRange?: boolean;
  /** Uniform blocks, power-of-two levels, or a k-means codebook. */
  scheme: 'uniform' | 'log2' | 'codebook';
  /** Codebook entries (scheme 'codebook'). */
  codebookSize: 16 | 256;
  /** Only these op types (default MatMul, Gemm, Gather, Conv). */
  opTypes?: string[];
  /** Node names (or /regex/ strings) to keep in float. */
  exclude?: string[];
}

/** What the conversion did per node (nodes of If/Loop/Scan bodies carry their `graph`). */
export type WeightOnlyResult = OnePassResult;
