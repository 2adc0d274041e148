/**
 * The shape rule registry: op type (default domain) or `'domain:OpType'` → rule.
 * Each op family lives in its own file under `ops/`.
 */
import type { ShapeRule } from './types.js';
import { controlRules } from './ops/control.js';
import { convRules } from './ops/conv.js';
import { elementwiseRules } from './ops/elementwise.js';
import { generatorRules } from './ops/generators.js';
import { matmulRules } from './ops/matmul.js';
import { normalizationRules } from './ops/normalization.js';
import { poolRules } from './ops/pool.js';
import { quantRules } from './ops/quant.js';
import { reduceRules } from './ops/reduce.js';
import { reshapeRules } from './ops/reshape.js';
import { resizeRules } from './ops/resize.js';
import { rnnRules } from './ops/rnn.js';
import { sliceRules } from './ops/slice.js';

/** Every built-in shape rule, by op type. Example: `shapeRules.get('Conv')`. */
export const shapeRules: ReadonlyMap<string, ShapeRule> = new Map([
  ...elementwiseRules,
  ...convRules,
  ...poolRules,
  ...matmulRules,
  ...normalizationRules,
  ...reshapeRules,
  ...sliceRules,
  ...generatorRules,
  ...resizeRules,
  ...reduceRules,
  ...quantRules,
  ...rnnRules,
  ...controlRules,
]);
