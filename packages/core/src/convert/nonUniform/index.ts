/**
 * Non-uniform weights (log2 levels, k-means codebooks): uint8 codes (4-bit codes two per
 * byte) plus a float table, expanded in front of the consumer with standard ops.
 */
export { encodeNonUniform, decodeNonUniform, type NonUniformScheme, type NonUniformWeight } from './encode.js';
export { emitExpansion } from './expand.js';
export { packNibblePlanes, unpackNibblePlanes } from './nibblePlanes.js';
