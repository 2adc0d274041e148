import { describe, expect, it } from 'vitest';
import type { NodeError } from '../compare/report.js';
import { rankSensitivity } from './mixedPrecision.js';

const entry = (node: string, sqnrDb: number, inputSqnrDb: number): NodeError => ({
  node, opType: 'X', order: 0, tensor: node, candidateTensor: node, sqnrDb, cosine: 1, maxAbsError: 0, elements: 1, inputSqnrDb, addedSqnrDb: 0,
});

describe('rankSensitivity', () => {
  it("ranks by output NSR less input NSR, taking a fused activation's output as the unit's output", () => {
    const units = [
      { name: 'gemm', opType: 'Gemm' },
      { name: 'conv', opType: 'Conv', fused: 'relu' },
    ];
    // gemm: 10^-2.5 - 10^-3 ≈ 0.00216; conv+relu: 10^-2 - 10^-4 = 0.0099 (conv's own output alone would give less)
    const nodes = [entry('gemm', 25, 30), entry('conv', 39, 40), entry('relu', 20, 35)];
    const ranked = rankSensitivity({ units }, nodes);
    expect(ranked.map((r) => r.name)).toEqual(['conv', 'gemm']);
    expect(ranked[0]!.addedNsr).toBeCloseTo(0.01 - 0.0001, 12);
    expect(ranked[1]!.addedNsr).toBeCloseTo(10 ** -2.5 - 0.001, 12);
  });

  it('puts unmeasured nodes and nodes whose input is already lost last, in unit order', () => {
    const units = [
      { name: 'lost', opType: 'Conv' },
      { name: 'unmeasured', opType: 'Conv' },
      { name: 'noisy', opType: 'Conv' },
      { name: 'clean', opType: 'Conv' },
    ];
    const nodes = [entry('lost', -Infinity, -Infinity), entry('noisy', 10, Infinity), entry('clean', 50, 40)];
    const ranked = rankSensitivity({ units }, nodes);
    expect(ranked.map((r) => r.name)).toEqual(['noisy', 'lost', 'unmeasured', 'clean']);
    expect(ranked.slice(1).map((r) => r.addedNsr)).toEqual([0, 0, 0]);
  });
});
