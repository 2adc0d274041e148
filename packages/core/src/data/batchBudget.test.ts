import { describe, expect, it } from 'vitest';
import { createGraph, createModel, type Model } from '../ir/graph.js';
import { Tensor } from '../ir/tensor.js';
import { chooseBatchSize, MAX_AUTO_BATCH_SIZE } from './batchBudget.js';

/** x [N, C] → MatMul(w [C, C]) → Relu → y: two C-wide float activations per sample besides x. */
function model(c: number): Model {
  const g = createGraph();
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: ['N', c] } });
  g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: ['N', c] } });
  g.initializers.set('w', new Tensor('float32', new Float32Array(c * c), [c, c]));
  g.nodes.push({ name: 'mm', opType: 'MatMul', domain: '', inputs: ['x', 'w'], outputs: ['h'], attributes: [] });
  g.nodes.push({ name: 'relu', opType: 'Relu', domain: '', inputs: ['h'], outputs: ['y'], attributes: [] });
  return createModel(g, 13);
}

describe('chooseBatchSize', () => {
  it('counts the bytes of every value one sample makes (inputs and activations, not weights)', () => {
    const c = chooseBatchSize(model(1000), { x: [1000] });
    expect(c.bytesPerSample).toBe(3 * 1000 * 4);
    expect(c.unsized).toBe(0);
  });

  it('takes as many samples as fit the budget', () => {
    // 12,000 bytes a sample: 10 fit 120,000 bytes, 11 do not.
    expect(chooseBatchSize(model(1000), { x: [1000] }, { budgetBytes: 120_000 }).batchSize).toBe(10);
    expect(chooseBatchSize(model(1000), { x: [1000] }, { budgetBytes: 131_999 }).batchSize).toBe(10);
  });

  it('never goes below 1 for a sample larger than the budget, nor above the cap for small ones', () => {
    expect(chooseBatchSize(model(1000), { x: [1000] }, { budgetBytes: 100 }).batchSize).toBe(1);
    expect(chooseBatchSize(model(4), { x: [4] }).batchSize).toBe(MAX_AUTO_BATCH_SIZE);
    expect(chooseBatchSize(model(4), { x: [4] }, { maxBatchSize: 5 }).batchSize).toBe(5);
  });

  it('answers 1 when shape inference cannot size any value', () => {
    const c = chooseBatchSize(model(8), {});
    expect(c.batchSize).toBe(1);
    expect(c.bytesPerSample).toBeUndefined();
    expect(c.unsized).toBeGreaterThan(0);
  });
});
