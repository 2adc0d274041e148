/** Interim: the Q/DQ domain choice of qdqOps.ts as a dialect (moves to its backend package). */
import type { QdqDialect } from './qdqDialect.js';
import { planQdqDomains, qdqFlavor } from './qdqOps.js';

/** ONNX Q/DQ where the opset has them, contrib Q/DQ otherwise. */
export const LEGACY_QDQ_DIALECT: QdqDialect = {
  name: 'legacy',
  prepare: (model, uses) => { planQdqDomains(model, uses); },
  domainOf: (model, use) => qdqFlavor(model, use).domain,
};
