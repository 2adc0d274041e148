import { describe, expect, it } from 'vitest';
import { STATIC_HANDLERS } from './index.js';

describe('STATIC_HANDLERS', () => {
  it('names each op type once, so no handler silently replaces another', () => {
    const all = STATIC_HANDLERS.flatMap((h) => [...h.opTypes]);
    expect(all.length).toBe(new Set(all).size);
  });

  it("covers onnxruntime's QDQ registry and the ops its CPU provider runs on integers", () => {
    const covered = new Set(STATIC_HANDLERS.flatMap((h) => [...h.opTypes]));
    const expected = [
      'Conv', 'ConvTranspose', 'Gemm', 'MatMul', 'Add', 'Mul', 'Relu', 'Clip', 'LeakyRelu', 'Sigmoid', 'Softmax', 'HardSwish', 'HardSigmoid', 'Tanh', 'Gelu',
      'MaxPool', 'GlobalMaxPool', 'AveragePool', 'GlobalAveragePool', 'Reshape', 'Transpose', 'Squeeze', 'Unsqueeze', 'Flatten', 'Resize', 'Slice',
      'Split', 'Gather', 'GatherElements', 'Where', 'Pad', 'Concat', 'Expand', 'Tile', 'DepthToSpace', 'SpaceToDepth', 'ReduceMax', 'ReduceMin', 'TopK',
      'ArgMax', 'ArgMin', 'LayerNormalization', 'InstanceNormalization', 'BatchNormalization', 'CumSum',
    ];
    expect(expected.filter((op) => !covered.has(op))).toEqual([]);
  });
});
