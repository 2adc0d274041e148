/** Every op schema qtk knows, one table per op family, and the lookup by node. */
import type { Node } from '../ir/graph.js';
import { CONV_SCHEMAS } from './convSchemas.js';
import { BINARY_SCHEMAS, UNARY_SCHEMAS } from './elementwiseSchemas.js';
import { MATMUL_SCHEMAS, NORMALIZATION_SCHEMAS, QUANTIZE_SCHEMAS } from './linearSchemas.js';
import { MICROSOFT_SCHEMAS } from './microsoftSchemas.js';
import { POOL_SCHEMAS } from './poolSchemas.js';
import { REDUCE_SCHEMAS } from './reduceSchemas.js';
import { SHAPE_SCHEMAS, VALUE_SCHEMAS } from './shapeSchemas.js';
import type { OpSchema } from './types.js';

/** Op schemas keyed `'OpType'` (default domain) or `'domain:OpType'`. */
export const OP_SCHEMAS: ReadonlyMap<string, OpSchema> = new Map(Object.entries({
  ...CONV_SCHEMAS, ...POOL_SCHEMAS, ...UNARY_SCHEMAS, ...BINARY_SCHEMAS, ...SHAPE_SCHEMAS, ...VALUE_SCHEMAS,
  ...REDUCE_SCHEMAS, ...MATMUL_SCHEMAS, ...NORMALIZATION_SCHEMAS, ...QUANTIZE_SCHEMAS, ...MICROSOFT_SCHEMAS,
}));

/** Whether `domain` is the default ONNX domain (`''` or `'ai.onnx'`). */
export function isDefaultDomain(domain: string): boolean {
  return domain === '' || domain === 'ai.onnx';
}

/** The schema key of a node: its op type in the default domain, else `domain:OpType`. */
export function schemaKey(node: Pick<Node, 'domain' | 'opType'>): string {
  return isDefaultDomain(node.domain) ? node.opType : `${node.domain}:${node.opType}`;
}

/** The schema of `node`'s op, or undefined when qtk has none. */
export function opSchemaOf(node: Pick<Node, 'domain' | 'opType'>): OpSchema | undefined {
  return OP_SCHEMAS.get(schemaKey(node));
}
