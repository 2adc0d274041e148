/** The user's backendOptions reach a backend's placement (`ctx.backendOptions`) and its option defaults (`defaultsFor`). */
import { describe, expect, it } from 'vitest';
import { annotateGraph } from '../annotate/annotate.js';
import { createGraph } from '../ir/graph.js';
import { PLUGIN_API_VERSION } from '../registry/registry.js';
import { quantSpec, PER_TENSOR } from '../spec/quantSpec.js';
import type { BackendPlugin, PlacementPolicy } from './backend.js';
import { backendDefaults } from './resolveBackend.js';

const spec = quantSpec({ dtype: 'int8', symmetric: true, granularity: PER_TENSOR, observer: { kind: 'minmax' } });

/** A policy that quantizes Relu inputs only when its options say `{ relu: true }`, and records what it saw. */
function reluPolicy(seen: unknown[]): PlacementPolicy<{ relu?: boolean }> {
  return {
    opTypes: ['Relu'],
    place(node, ctx) {
      seen.push(ctx.backendOptions);
      if (!ctx.backendOptions?.relu) return 'relu off';
      ctx.markActivation(node.inputs[0]!);
    },
  };
}

function graphWithRelu() {
  const g = createGraph();
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [1] } });
  g.nodes.push({ name: 'r', opType: 'Relu', domain: '', inputs: ['x'], outputs: ['y'], attributes: [] });
  g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [1] } });
  return g;
}

describe('backendOptions reach the backend', () => {
  it("annotation hands the user's backendOptions to the policy as ctx.backendOptions, so they change placement", () => {
    const seen: unknown[] = [];
    const options = { relu: true };
    const on = annotateGraph(graphWithRelu(), { policy: reluPolicy(seen) as PlacementPolicy, activationSpec: spec, weightSpec: spec, perChannel: true, backendOptions: options });
    const off = annotateGraph(graphWithRelu(), { policy: reluPolicy(seen) as PlacementPolicy, activationSpec: spec, weightSpec: spec, perChannel: true });
    expect(seen).toEqual([options, undefined]);
    expect(seen[0]).toBe(options);
    expect([...on.tensors.keys()]).toEqual(['x']);
    expect(off.tensors.size).toBe(0);
    expect(off.float.map((f) => f.reason)).toEqual(['relu off']);
  });

  it('backendDefaults: defaultsFor (given the backendOptions) wins over defaults; without it, defaults or nothing', () => {
    const base = { name: 'b', kind: 'backend' as const, apiVersion: PLUGIN_API_VERSION, description: '', policy: reluPolicy([]) };
    const withFor: BackendPlugin<{ relu?: boolean }> = {
      ...base, defaults: { activationType: 'uint8' },
      defaultsFor: (o) => (o?.relu ? { activationType: 'int16' } : { activationType: 'int8' }),
    };
    expect(backendDefaults(withFor as BackendPlugin, { relu: true })).toEqual({ activationType: 'int16' });
    expect(backendDefaults(withFor as BackendPlugin, undefined)).toEqual({ activationType: 'int8' });
    expect(backendDefaults({ ...base, defaults: { activationType: 'uint8' } } as BackendPlugin, { relu: true })).toEqual({ activationType: 'uint8' });
    expect(backendDefaults(base as BackendPlugin, undefined)).toEqual({});
  });
});
