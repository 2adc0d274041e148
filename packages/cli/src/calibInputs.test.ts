import { describe, expect, it } from 'vitest';
import { Tensor, createGraph, createModel, type DType, type Model } from '@qtk/core';
import { companionFill, companionInputs, feedsFor, matchIntegerType, namedInputs, pickInput } from './calibInputs.js';

/** A model with the given [name, dtype] inputs of shape [N, 4], plus an initializer listed as input. */
function model(inputs: Array<[string, DType]>): Model {
  const g = createGraph();
  for (const [name, dtype] of inputs) g.inputs.push({ name, type: { kind: 'tensor', dtype, shape: ['N', 4] } });
  g.inputs.push({ name: 'w', type: { kind: 'tensor', dtype: 'float32', shape: [4] } });
  g.initializers.set('w', Tensor.fromFloat32(new Float32Array(4), [4]));
  return createModel(g);
}

const bert = () => model([['input_ids', 'int64'], ['attention_mask', 'int64'], ['token_type_ids', 'int64']]);

describe('which input calibration data feeds', () => {
  it('float data feeds the single float input', () => {
    expect(pickInput(model([['x', 'float32']])).name).toBe('x');
  });

  it('integer data feeds the single integer input not named like a mask or segment ids', () => {
    expect(pickInput(bert(), undefined, 'int64').name).toBe('input_ids');
    expect(pickInput(bert(), undefined, 'int32').name).toBe('input_ids');
  });

  it('float data for a model with only integer inputs asks for --input', () => {
    expect(() => pickInput(bert())).toThrow(/the model has 0 float inputs .*; name the one the calibration data feeds with --input/);
  });

  it('--input picks by name, and an unknown name lists the inputs', () => {
    expect(pickInput(bert(), 'attention_mask', 'int64').name).toBe('attention_mask');
    expect(() => pickInput(bert(), 'ids')).toThrow("--input 'ids' is not a model input; inputs: 'input_ids' [N,4] int64, 'attention_mask' [N,4] int64, 'token_type_ids' [N,4] int64");
  });
});

describe('inputs named by per-input data', () => {
  it('are returned in the model input order', () => {
    expect(namedInputs(bert(), ['token_type_ids', 'input_ids']).map((v) => v.name)).toEqual(['input_ids', 'token_type_ids']);
  });

  it('names that are not model inputs are E_CALIB_DATA listing the model inputs (initializers left out)', () => {
    expect(() => namedInputs(bert(), ['input_ids', 'ids', 'w'])).toThrow("calibration data for 'ids', 'w', but they are not model inputs; inputs: 'input_ids' [N,4] int64, 'attention_mask' [N,4] int64, 'token_type_ids' [N,4] int64");
  });
});

describe('inputs the data does not feed', () => {
  it('masks get ones and segment ids zeros', () => {
    expect(['attention_mask', 'input_mask', 'token_type_ids', 'segment_ids', 'pixel_values'].map(companionFill)).toEqual(['ones', 'ones', 'zeros', 'zeros', undefined]);
    const companions = companionInputs(bert(), [bert().graph.inputs[0]!]);
    expect(companions.map((c) => [c.input.name, c.fill])).toEqual([['attention_mask', 'ones'], ['token_type_ids', 'zeros']]);
  });

  it('other inputs are refused with E_CALIB_DATA naming them and how to give them data', () => {
    const m = model([['x', 'float32'], ['ids', 'int64']]);
    expect(() => companionInputs(m, [m.graph.inputs[0]!])).toThrow(/inputs besides 'x' \[N,4\] float32 that no calibration data feeds: 'ids' \[N,4\] int64; give one array per input \(--calib NAME=FILE repeated/);
  });

  it('per-input data: only the inputs left out get fills; an input left out that is not a mask or segment ids is named', () => {
    const m = model([['input_ids', 'int64'], ['attention_mask', 'int64'], ['token_type_ids', 'int64'], ['pos', 'int64']]);
    const [ids, mask, , pos] = m.graph.inputs;
    expect(companionInputs(m, [ids!, mask!, pos!]).map((c) => [c.input.name, c.fill])).toEqual([['token_type_ids', 'zeros']]);
    expect(() => companionInputs(m, [ids!, mask!])).toThrow("inputs besides 'input_ids' [N,4] int64, 'attention_mask' [N,4] int64 that no calibration data feeds: 'pos' [N,4] int64;");
  });

  it('each batch gets a mask of ones and segment ids of zeros shaped like it, in the input dtype', () => {
    const m = model([['input_ids', 'int64'], ['attention_mask', 'int32'], ['token_type_ids', 'int64']]);
    const ids = m.graph.inputs[0]!;
    const batch = Tensor.int64([101, 7, 8, 102, 101, 9, 102, 0], [2, 4]);
    const [feeds] = feedsFor([{ input_ids: batch }], companionInputs(m, [ids]));
    expect(feeds!.input_ids).toBe(batch);
    expect([feeds!.attention_mask!.dtype, feeds!.attention_mask!.dims, feeds!.attention_mask!.toNumbers()]).toEqual(['int32', [2, 4], [1, 1, 1, 1, 1, 1, 1, 1]]);
    expect([feeds!.token_type_ids!.dtype, feeds!.token_type_ids!.toNumbers()]).toEqual(['int64', [0, 0, 0, 0, 0, 0, 0, 0]]);
  });

  it('int32 token ids are converted for an int64 input; float data is left alone', () => {
    const ids = bert().graph.inputs[0]!;
    const t = new Tensor('int32', Int32Array.of(101, 2054, 102), [1, 3]);
    const c = matchIntegerType(t, ids);
    expect([c.dtype, c.dims, c.toNumbers()]).toEqual(['int64', [1, 3], [101, 2054, 102]]);
    const f = Tensor.fromFloat32(Float32Array.of(1), [1, 1]);
    expect(matchIntegerType(f, ids)).toBe(f);
  });
});
