/**
 * Static shapes of a model's values for given input shapes: shape inference run with the
 * graph inputs set to the shapes of actual feeds, so that symbolic dims (batch, sequence
 * length, image width) take their values. Used to size calibration samples and batches.
 */
import type { Model } from '../ir/graph.js';
import { inferTypes } from './infer.js';
import type { TensorInfo } from './types.js';

/** A value's dtype and fully known shape. */
export interface StaticValue {
  dtype: TensorInfo['dtype'];
  shape: number[];
}

/**
 * The values of `model` whose shape inference decides every dim when the inputs named in
 * `inputDims` have those dims (other inputs keep their declared shapes). Values with an
 * unknown dim are left out; a model that inference cannot process gives an empty map.
 */
export function staticValueShapes(model: Model, inputDims: Readonly<Record<string, readonly number[]>>): Map<string, StaticValue> {
  const g = model.graph;
  const inputs = g.inputs.map((v) => {
    const dims = inputDims[v.name];
    return dims && v.type?.kind === 'tensor' ? { ...v, type: { ...v.type, shape: [...dims] } } : v;
  });
  const shapes = new Map<string, StaticValue>();
  let types: Map<string, TensorInfo>;
  try {
    types = inferTypes({ ...model, graph: { ...g, inputs } }, { trustValueInfo: false }).types;
  } catch {
    return shapes;
  }
  for (const [n, info] of types) {
    if (info.shape && info.shape.every((d) => typeof d === 'number')) shapes.set(n, { dtype: info.dtype, shape: info.shape as number[] });
  }
  return shapes;
}
