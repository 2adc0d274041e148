/** Builds one-node ONNX models for op tests and runs them through @qtk/wasm. */
import { createGraph, createModel, encodeModel, Tensor as CoreTensor, type AttributeValue, type DType } from '@qtk/core';
import { InferenceSession, Tensor, type TensorType } from '../index.js';

/** An input of a test graph: a runtime feed (tensor) or an initializer (`init: true`). */
export interface TestInput {
  name: string;
  type: TensorType;
  dims: number[];
  data: ArrayLike<number>;
  init?: boolean;
}

function storage(type: TensorType, data: ArrayLike<number>) {
  switch (type) {
    case 'float32': return Float32Array.from(data);
    case 'uint8': case 'bool': return Uint8Array.from(data);
    case 'int8': return Int8Array.from(data);
    case 'int32': return Int32Array.from(data);
    case 'int64': return BigInt64Array.from(Array.from(data, (v) => BigInt(v)));
  }
}

/** Encodes a model of one node `op` over `inputs` (omitted optional inputs as null). */
export function oneNodeModel(op: string, inputs: (TestInput | null)[], attrs: Record<string, AttributeValue> = {}, opts: { domain?: string; opset?: number; outputs?: number } = {}): Uint8Array {
  const g = createGraph('t');
  for (const i of inputs) {
    if (!i) continue;
    if (i.init) g.initializers.set(i.name, new CoreTensor(i.type as DType, storage(i.type, i.data), i.dims));
    else g.inputs.push({ name: i.name, type: { kind: 'tensor', dtype: i.type as DType, shape: i.dims } });
  }
  const outs = Array.from({ length: opts.outputs ?? 1 }, (_, k) => `y${k}`);
  g.nodes.push({ name: 'n0', opType: op, domain: opts.domain ?? '', inputs: inputs.map((i) => i?.name ?? ''), outputs: outs, attributes: Object.entries(attrs).map(([name, value]) => ({ name, value })) });
  for (const o of outs) g.outputs.push({ name: o });
  const m = createModel(g, opts.opset ?? 17);
  if (opts.domain) m.opsetImports.set(opts.domain, 1);
  return encodeModel(m).model;
}

/** Runs a one-node model and returns its outputs in order. */
export async function runOne(op: string, inputs: (TestInput | null)[], attrs: Record<string, AttributeValue> = {}, opts: { domain?: string; opset?: number; outputs?: number } = {}): Promise<Tensor[]> {
  const s = await InferenceSession.create(oneNodeModel(op, inputs, attrs, opts));
  const feeds: Record<string, Tensor> = {};
  for (const i of inputs) if (i && !i.init) feeds[i.name] = new Tensor(i.type, storage(i.type, i.data) as never, i.dims);
  const out = await s.run(feeds);
  return s.outputNames.map((n) => out[n]!);
}

/** An integer-list attribute value. */
export const ints = (value: number[]): AttributeValue => ({ kind: 'ints', value });
/** An integer attribute value. */
export const int = (value: number): AttributeValue => ({ kind: 'int', value });
/** A float attribute value. */
export const float = (value: number): AttributeValue => ({ kind: 'float', value });
/** A string attribute value. */
export const str = (value: string): AttributeValue => ({ kind: 'string', value });
