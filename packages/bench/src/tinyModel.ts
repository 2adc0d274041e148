/**
 * Small graphs built in code: a one-node Relu model that primes a runtime (its first
 * session pays one-time set-up, such as compiling WebAssembly, that no variant should be
 * charged for), and a two-node MatMul → Relu model for tests of the harness.
 */
import { createGraph, createModel, Tensor, type DType, type Model, type ValueInfo } from '@qtk/core';

function tensorInfo(name: string, dtype: DType, shape: Array<number | string>): ValueInfo {
  return { name, type: { kind: 'tensor', dtype, shape } };
}

function model(nodes: Model['graph']['nodes'], inputs: ValueInfo[], outputs: ValueInfo[], initializers: Array<[string, Tensor]> = []): Model {
  const graph = createGraph('tiny');
  graph.nodes.push(...nodes);
  graph.inputs.push(...inputs);
  graph.outputs.push(...outputs);
  for (const [name, t] of initializers) graph.initializers.set(name, t);
  return createModel(graph);
}

/** `y = Relu(x)` over float32 x [N, 4]. */
export function reluModel(): Model {
  return model(
    [{ name: 'relu', opType: 'Relu', domain: '', inputs: ['x'], outputs: ['y'], attributes: [] }],
    [tensorInfo('x', 'float32', ['N', 4])],
    [tensorInfo('y', 'float32', ['N', 4])],
  );
}

/** `y = Relu(x · W)` over float32 x [N, k] with a seeded W [k, m]: two nodes. */
export function matMulReluModel(k = 16, m = 8, seed = 1): Model {
  let s = seed >>> 0;
  const w = new Float32Array(k * m).map(() => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1);
  return model(
    [
      { name: 'matmul', opType: 'MatMul', domain: '', inputs: ['x', 'w'], outputs: ['h'], attributes: [] },
      { name: 'relu', opType: 'Relu', domain: '', inputs: ['h'], outputs: ['y'], attributes: [] },
    ],
    [tensorInfo('x', 'float32', ['N', k])],
    [tensorInfo('y', 'float32', ['N', m])],
    [['w', new Tensor('float32', w, [k, m])]],
  );
}
