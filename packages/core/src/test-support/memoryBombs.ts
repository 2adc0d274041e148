/**
 * Tiny models whose constant subgraphs would be huge if evaluated: the memory-budget tests
 * and `tools/bench/untrusted-memory.ts` feed them to folding, quantization and planning.
 * Each encodes to a couple of hundred bytes, and only the shape of its big value reaches
 * the output: onnxruntime folds that `Shape` from the static dims and never makes the
 * value, and so must qtk.
 */
import { createGraph, createModel, type Model, type Node } from '../ir/graph.js';
import { Tensor } from '../ir/tensor.js';

/**
 * `y = x * Cast(Shape(ConstantOfShape(dims)))`: with the default `[65536, 65536]` the
 * ConstantOfShape is 16 GiB of float32 zeros, yet y only needs its shape.
 * Input `x` float32 `[N, rank]`, output `y` `[N, rank]`; y is x times the dims.
 */
export function constantOfShapeBomb(dims: readonly number[] = [65536, 65536]): Model {
  return bomb('constant_of_shape_bomb', dims.length, { shape: Tensor.int64(dims, [dims.length]) }, [
    { name: 'fill', opType: 'ConstantOfShape', domain: '', inputs: ['shape'], outputs: ['big'], attributes: [] },
  ]);
}

/**
 * `y = x * Cast(Shape(Range(0, limit, 1)))`: with the default limit 5e8 the Range is
 * 500 million int64 values (4 GB), yet y only needs its length.
 * Input `x` float32 `[N, 1]`, output `y` `[N, 1]`; y is x times the limit.
 */
export function rangeBomb(limit = 5e8): Model {
  const scalar = (v: number) => Tensor.int64([v], []);
  return bomb('range_bomb', 1, { start: scalar(0), limit: scalar(limit), delta: scalar(1) }, [
    { name: 'range', opType: 'Range', domain: '', inputs: ['start', 'limit', 'delta'], outputs: ['big'], attributes: [] },
  ]);
}

/** The common tail: `y = x * Cast(Shape(big))` after the nodes making `big`. */
function bomb(name: string, rank: number, initializers: Record<string, Tensor>, make: Node[]): Model {
  const g = createGraph(name);
  g.inputs = [{ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: ['N', rank] } }];
  g.outputs = [{ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: ['N', rank] } }];
  for (const [k, t] of Object.entries(initializers)) g.initializers.set(k, t);
  g.nodes = [
    ...make,
    { name: 'dims', opType: 'Shape', domain: '', inputs: ['big'], outputs: ['s'], attributes: [] },
    { name: 'to_float', opType: 'Cast', domain: '', inputs: ['s'], outputs: ['sf'], attributes: [{ name: 'to', value: { kind: 'int', value: 1 } }] },
    { name: 'scale', opType: 'Mul', domain: '', inputs: ['x', 'sf'], outputs: ['y'], attributes: [] },
  ];
  return createModel(g, 17);
}
