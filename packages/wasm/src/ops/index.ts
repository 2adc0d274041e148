/** The complete op table of the engine. */
import { registerConv } from './conv.js';
import { registerExtra } from './extra.js';
import { registerConvTranspose } from './convTranspose.js';
import { registerResize } from './resize.js';
import { registerElementwise } from './elementwise.js';
import { registerGemm } from './gemm.js';
import { registerMisc } from './misc.js';
import { registerReduce } from './reduce.js';
import { registerNormalization } from './normalization.js';
import { registerPool } from './pool.js';
import { registerQAdd } from './qadd.js';
import { registerQLinear } from './qlinear.js';
import { registerQLinearExtra } from './qlinearExtra.js';
import { registerQuantize } from './quantize.js';
import type { OpDef } from './registry.js';
import { registerShape } from './shape.js';

/** Every op the engine runs, keyed as in `opKey`. */
export const OPS: ReadonlyMap<string, OpDef> = (() => {
  const t = new Map<string, OpDef>();
  registerElementwise(t);
  registerConv(t);
  registerGemm(t);
  registerPool(t);
  registerNormalization(t);
  registerQuantize(t);
  registerQLinear(t);
  registerQLinearExtra(t);
  registerQAdd(t);
  registerShape(t);
  registerReduce(t);
  registerMisc(t);
  registerExtra(t);
  registerResize(t);
  registerConvTranspose(t);
  return t;
})();
