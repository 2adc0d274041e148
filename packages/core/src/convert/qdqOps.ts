/** Which QuantizeLinear/DequantizeLinear the model's opset allows. */
import type { Model } from '../ir/graph.js';

/** Domain for Q/DQ nodes: the ONNX domain from opset 13 (per-axis), else com.microsoft. */
export interface QdqFlavor {
  domain: '' | 'com.microsoft';
}

/** Picks the Q/DQ flavour for a model and adds the opset import it needs. */
export function qdqFlavor(model: Model): QdqFlavor {
  const opset = model.opsetImports.get('') ?? model.opsetImports.get('ai.onnx') ?? 0;
  if (opset >= 13) return { domain: '' };
  if (!model.opsetImports.has('com.microsoft')) model.opsetImports.set('com.microsoft', 1);
  return { domain: 'com.microsoft' };
}
