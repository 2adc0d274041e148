/** Activations quantized for some of their readers: annotation adds the readers up, the QDQ writer rewires only them. */
import { describe, expect, it } from 'vitest';
import { annotateGraph } from '../annotate/annotate.js';
import { createGraph, createModel, type Model, type Node } from '../ir/graph.js';
import type { PlacementPolicy } from '../backend/backend.js';
import { quantSpec, PER_TENSOR } from '../spec/quantSpec.js';
import { planQuantization } from '../plan/planQuantization.js';
import { writeQdq } from './qdq.js';

const spec = quantSpec({ dtype: 'int8', symmetric: true, granularity: PER_TENSOR, observer: { kind: 'minmax' } });

/** x → Relu → r, read by Sigmoid a, Tanh b and Abs c. */
function model(): Model {
  const g = createGraph('g');
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [2] } });
  const node = (name: string, opType: string, input: string, output: string): Node => ({ name, opType, domain: '', inputs: [input], outputs: [output], attributes: [] });
  g.nodes.push(node('relu', 'Relu', 'x', 'r'), node('a', 'Sigmoid', 'r', 'ya'), node('b', 'Tanh', 'r', 'yb'), node('c', 'Abs', 'r', 'yc'));
  g.outputs.push({ name: 'ya' }, { name: 'yb' }, { name: 'yc' });
  return createModel(g, 17);
}

/** A policy where each of `readers` asks for `r` for itself, and `all` asks for every reader. */
function policy(readers: readonly string[], all: readonly string[] = []): PlacementPolicy {
  return {
    opTypes: ['Sigmoid', 'Tanh', 'Abs'],
    place(node, ctx) {
      if (readers.includes(node.name)) ctx.markActivation('r', [node]);
      else if (all.includes(node.name)) ctx.markActivation('r');
      else return 'float';
    },
  };
}

const readersOfDq = (m: Model) => {
  const dq = m.graph.nodes.find((n) => n.opType === 'DequantizeLinear')!;
  return m.graph.nodes.filter((n) => n.inputs.includes(dq.outputs[0]!)).map((n) => n.name);
};

describe('activation quantized for some readers', () => {
  it('marks with readers add up, and the QDQ writer points only those readers at the DequantizeLinear', () => {
    const m = model();
    const ann = annotateGraph(m.graph, { policy: policy(['a', 'c']), activationSpec: spec, weightSpec: spec, perChannel: true });
    const role = ann.tensors.get('r');
    expect(role?.kind === 'activation' && [...(role.readers ?? [])].map((n) => n.name)).toEqual(['a', 'c']);
    writeQdq(m, planQuantization(m.graph, ann, new Map([['r', { scale: Float32Array.of(0.1), zeroPoint: Int32Array.of(0), dtype: 'int8' }]])));
    expect(readersOfDq(m)).toEqual(['a', 'c']);
    expect(m.graph.nodes.find((n) => n.name === 'b')!.inputs).toEqual(['r']);
  });

  it('a mark for every reader covers them all, before or after marks for some', () => {
    const m = model();
    const ann = annotateGraph(m.graph, { policy: policy(['a'], ['b']), activationSpec: spec, weightSpec: spec, perChannel: true });
    const role = ann.tensors.get('r');
    expect(role?.kind === 'activation' && role.readers).toBe(undefined);
    writeQdq(m, planQuantization(m.graph, ann, new Map([['r', { scale: Float32Array.of(0.1), zeroPoint: Int32Array.of(0), dtype: 'int8' }]])));
    expect(readersOfDq(m)).toEqual(['a', 'b', 'c']);
  });
});
