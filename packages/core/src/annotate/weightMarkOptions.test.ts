/** `markWeight(value, axis, { halfRange })`: the weight's spec gets one bit less, other weights keep theirs. */
import { describe, expect, it } from 'vitest';
import { quantSpec, PER_TENSOR } from '../spec/quantSpec.js';
import { quantRange } from '../quant/qparams.js';
import { annotateGraph } from './annotate.js';
import { TinyGraph } from './test-support/tinyGraph.js';
import type { PlacementPolicy } from '../backend/backend.js';

describe('markWeight options', () => {
  it('halfRange marks the weight with reduceRange (int8 narrow [-63, 63]); without it the spec is unchanged ([-127, 127])', () => {
    const t = new TinyGraph();
    const x = t.input('x', [1, 4]);
    t.node('a', 'MatMul', [x, t.floats('wa', [4, 4])], ['ya']);
    t.node('b', 'MatMul', ['ya', t.floats('wb', [4, 4])], ['yb']);
    t.graph.outputs.push({ name: 'yb', type: { kind: 'tensor', dtype: 'float32', shape: [1, 4] } });
    const policy: PlacementPolicy = {
      opTypes: ['MatMul'],
      place(n, ctx) {
        ctx.markActivation(n.inputs[0]!);
        ctx.markWeight(n.inputs[1]!, 1, n.name === 'a' ? { halfRange: true } : undefined);
      },
    };
    const weightSpec = quantSpec({ dtype: 'int8', symmetric: true, narrowRange: true, granularity: PER_TENSOR, observer: { kind: 'minmax' } });
    const activationSpec = quantSpec({ dtype: 'uint8', symmetric: false, granularity: PER_TENSOR, observer: { kind: 'minmax' } });
    const ann = annotateGraph(t.graph, { policy, activationSpec, weightSpec, perChannel: true });
    const specOf = (w: string) => {
      const role = ann.tensors.get(w);
      if (role?.kind !== 'weight') throw new Error(`${w} is not a weight`);
      return role.spec;
    };
    expect(specOf('wa').reduceRange).toBe(true);
    expect(quantRange(specOf('wa'))).toEqual([-63, 63]);
    expect(specOf('wa').granularity).toEqual({ kind: 'perAxis', axis: 1 });
    expect(quantRange(specOf('wb'))).toEqual([-127, 127]);
  });
});
