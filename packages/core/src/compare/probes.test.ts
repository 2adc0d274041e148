import { describe, expect, it } from 'vitest';
import { createGraph, createModel, type Model, type Node } from '../ir/graph.js';
import { Tensor } from '../ir/tensor.js';
import { planProbes } from './probes.js';
import { catchQtkError } from '../test-support/expectQtkError.js';

const node = (name: string, opType: string, inputs: string[], outputs: string[]): Node => ({ name, opType, domain: '', inputs, outputs, attributes: [] });

/** x → Conv(w) → c → Relu → r → Softsign → y, float. */
function reference(): Model {
  const g = createGraph('ref');
  g.inputs.push({ name: 'x' });
  g.outputs.push({ name: 'y' });
  g.initializers.set('w', Tensor.zeros('float32', [1, 1, 1, 1]));
  g.nodes.push(node('conv', 'Conv', ['x', 'w'], ['c']), node('relu', 'Relu', ['c'], ['r']), node('soft', 'Softsign', ['r'], ['y']));
  return createModel(g);
}

/** The same in QDQ form: Q/DQ on x and on r, the weight behind DequantizeLinear, plus a renamed node. */
function candidate(): Model {
  const g = createGraph('cand');
  g.inputs.push({ name: 'x' });
  g.outputs.push({ name: 'y' });
  for (const k of ['s', 'z', 'w_q', 'w_s']) g.initializers.set(k, Tensor.zeros('float32', []));
  g.nodes.push(
    node('qx', 'QuantizeLinear', ['x', 's', 'z'], ['x_q']),
    node('dqx', 'DequantizeLinear', ['x_q', 's', 'z'], ['x_dq']),
    node('dqw', 'DequantizeLinear', ['w_q', 'w_s'], ['w_dq']),
    node('conv', 'Conv', ['x_dq', 'w_dq'], ['c']),
    node('relu', 'Relu', ['c'], ['r']),
    node('qr', 'QuantizeLinear', ['r', 's', 'z'], ['r_q']),
    node('dqr', 'DequantizeLinear', ['r_q', 's', 'z'], ['r_dq']),
    node('soft', 'Softsign', ['r_dq'], ['y']),
    node('extra', 'Neg', ['r_dq'], ['only_here']),
  );
  return createModel(g);
}

describe('planProbes', () => {
  const plan = planProbes(reference(), candidate());
  const byNode = new Map(plan.nodes.map((n) => [n.node, n]));

  it('lists the nodes touched by quantization, Q/DQ nodes left out, in graph order', () => {
    expect(plan.nodes.map((n) => n.node)).toEqual(['conv', 'relu', 'soft']);
    expect(plan.nodes.map((n) => n.order)).toEqual([0, 1, 2]);
  });

  it('compares a quantized output after its Q/DQ and a float output as it is', () => {
    expect(byNode.get('relu')!.output).toEqual({ reference: 'r', candidate: 'r_dq' });
    expect(byNode.get('conv')!.output).toEqual({ reference: 'c', candidate: 'c' });
  });

  it('pairs activation inputs with their source, a graph input with itself, and skips weights', () => {
    expect(byNode.get('conv')!.inputs).toEqual([{ reference: 'x', candidate: 'x' }]);
    expect(byNode.get('soft')!.inputs).toEqual([{ reference: 'r', candidate: 'r_dq' }]);
    expect(byNode.get('relu')!.inputs).toEqual([{ reference: 'c', candidate: 'c' }]);
  });

  it('matches graph outputs by name and names nodes whose output the reference lacks', () => {
    expect(plan.outputs).toEqual([{ reference: 'y', candidate: 'y' }]);
    expect(plan.unmatched).toEqual([{ node: 'extra', opType: 'Neg', tensor: 'only_here' }]);
  });

  it('finds nothing to compare between a model and itself but its outputs', () => {
    const self = planProbes(reference(), reference());
    expect(self.nodes).toEqual([]);
    expect(self.outputs).toEqual([{ reference: 'y', candidate: 'y' }]);
  });

  it('refuses a candidate without one of the reference outputs (E_GRAPH naming it)', () => {
    const c = candidate();
    c.graph.outputs = [{ name: 'only_here' }];
    const err = catchQtkError(() => planProbes(reference(), c));
    expect(err.code).toBe('E_GRAPH');
    expect(err.where.tensor).toBe('y');
  });
});
