import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createGraph, createModel, Tensor } from '@qtk/core';
import { summarizeModel, type ModelSummary } from './inspect.js';
import { runCli } from '../test-support/cliRun.js';

const DIGITS_MODEL = fileURLToPath(new URL('../../../../fixtures/digits/digits_cnn.onnx', import.meta.url));

describe('qtk inspect on the digits CNN', () => {
  // What the exported ONNX really holds (BatchNorm was folded into the convs by the exporter).
  const OPS = { Relu: 4, Conv: 3, Gemm: 2, Flatten: 1, GlobalAveragePool: 1, MaxPool: 1 };
  // Conv 1→32 3x3, 32→64 3x3, 64→64 3x3 (+ biases); Gemm 64→64, 64→10 (+ biases).
  const PARAMS = 32 * 9 + 32 + 64 * 32 * 9 + 64 + 64 * 64 * 9 + 64 + 64 * 64 + 64 + 64 * 10 + 10;

  it('--json reports inputs, outputs, opsets, op counts (most first), nodes, initializers and parameters', async () => {
    const r = await runCli('inspect', DIGITS_MODEL, '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as ModelSummary;
    expect(s.inputs).toEqual([{ name: 'input', dtype: 'float32', shape: ['N', 1, 8, 8] }]);
    expect(s.outputs).toEqual([{ name: 'logits', dtype: 'float32', shape: ['N', 10] }]);
    expect(s.opsets).toEqual({ 'ai.onnx': 17 });
    expect(s.opCounts).toEqual(OPS);
    expect(Object.keys(s.opCounts)).toEqual(['Relu', 'Conv', 'Gemm', 'Flatten', 'GlobalAveragePool', 'MaxPool']);
    expect(s.nodes).toBe(12);
    expect(s.subgraphNodes).toBe(0);
    expect(s.initializers).toBe(10);
    expect(s.parameters).toBe(PARAMS);
    expect(s.parameterBytes).toBe(PARAMS * 4);
    expect(s.fileBytes).toBe(statSync(DIGITS_MODEL).size);
  });

  it('the text report shows symbolic dims by name and one line per op type', async () => {
    const r = await runCli('inspect', DIGITS_MODEL);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('opsets: ai.onnx 17\n');
    expect(r.stdout).toMatch(/inputs:\n {2}input {2}float32 \[N,1,8,8\]\n/);
    expect(r.stdout).toMatch(/outputs:\n {2}logits {2}float32 \[N,10\]\n/);
    expect(r.stdout).toContain('nodes: 12\n');
    expect(r.stdout).toMatch(/ops:\n {2}Relu +4\n {2}Conv +3\n {2}Gemm +2\n/);
    expect(r.stdout).toContain(`parameters: ${PARAMS} (${PARAMS * 4} bytes, `);
  });

  it('a missing file is an error naming it', async () => {
    const r = await runCli('inspect', 'no/such/model.onnx');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("qtk: model 'no/such/model.onnx' does not exist\n");
  });
});

describe('summarizeModel', () => {
  it('leaves initializers out of the inputs, shows unknown dims as null, prefixes custom domains', () => {
    const g = createGraph();
    g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [null, 4] } }, { name: 'w', type: { kind: 'tensor', dtype: 'float32', shape: [4] } });
    g.initializers.set('w', Tensor.fromFloat32(new Float32Array(4), [4]));
    g.nodes.push({ name: 'a', opType: 'Mul', domain: '', inputs: ['x', 'w'], outputs: ['y'], attributes: [] });
    g.nodes.push({ name: 'b', opType: 'Gelu', domain: 'com.microsoft', inputs: ['y'], outputs: ['z'], attributes: [] });
    g.outputs.push({ name: 'z' });
    const m = createModel(g);
    m.opsetImports.set('com.microsoft', 1);
    const s = summarizeModel(m);
    expect(s.inputs).toEqual([{ name: 'x', dtype: 'float32', shape: [null, 4] }]);
    expect(s.outputs).toEqual([{ name: 'z', dtype: 'unknown', shape: null }]);
    expect(s.opCounts).toEqual({ 'com.microsoft:Gelu': 1, Mul: 1 });
    expect(s.opsets).toEqual({ 'ai.onnx': 17, 'com.microsoft': 1 });
    expect([s.parameters, s.parameterBytes]).toEqual([4, 16]);
  });
});
