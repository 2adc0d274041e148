/** compareModels on the digits CNN and on small graphs: SQNR, cosine, batching, JSON and text forms, refusals. */
import { expect } from 'vitest';
import {
  compareModels, compareReportToJson, formatCompareReport, quantizeModel, createGraph, createModel, Tensor, type Model,
} from '../../index.js';
import { lazy, type SuiteContext } from '../context.js';
import { digitsRows, batchesOf, loadDigits, digitsCalibration } from '../digits.js';

/** Registers the compare suite. */
export function compareSuite(t: SuiteContext): void {
  t.describe('compareModels on the digits CNN', (s) => digits(s));
  t.describe('compareModels with non-float tensors', (s) => nonFloat(s));
}

function digits(s: SuiteContext): void {
  const executor = s.executor;
  const setup = lazy(async () => {
    const { data, model } = await loadDigits(s.fixtures);
    const { model: q, report } = await quantizeModel(model, {}, { backend: s.backend, executor, calibration: digitsCalibration(data) });
    return { data, model, q, report, test: digitsRows(data, 1297, 1497).x };
  });

  s.it('gives +Infinity SQNR, cosine 1 and zero error when a model is compared with itself', async () => {
    const { model, q, test } = await setup();
    for (const m of [model, q]) {
      const r = await compareModels(m, m, executor, batchesOf(test, 50));
      expect(r.outputs.map((o) => o.tensor)).toEqual(['logits']);
      for (const e of [...r.outputs, ...r.nodes]) {
        expect(e.sqnrDb).toBe(Infinity);
        expect(e.cosine).toBeCloseTo(1, 12);
        expect(e.maxAbsError).toBe(0);
      }
    }
    const self = await compareModels(q, q, executor, batchesOf(test, 50));
    expect(self.nodes.length).toBeGreaterThan(0);
  });

  s.it('gives a finite SQNR above 15 dB and cosine above 0.99 for every quantized node and for the logits', async () => {
    const { model, q, report, test } = await setup();
    const r = await compareModels(model, q, executor, batchesOf(test, 50));
    expect(r.batches).toBe(4);
    expect(r.samples).toBe(200);
    expect(r.unmatched).toEqual([]);
    const byNode = new Map(r.nodes.map((n) => [n.node, n]));
    for (const { name } of report.quantized) {
      const e = byNode.get(name);
      expect(e, name).toBeDefined();
      expect(Number.isFinite(e!.sqnrDb), name).toBe(true);
      expect(e!.sqnrDb, name).toBeGreaterThan(15);
      expect(e!.cosine, name).toBeGreaterThan(0.99);
    }
    const logits = r.outputs[0]!;
    expect(Number.isFinite(logits.sqnrDb)).toBe(true);
    expect(logits.sqnrDb).toBeGreaterThan(15);
    expect(logits.maxAbsError).toBeGreaterThan(0);
    for (let i = 1; i < r.nodes.length; i++) expect(r.nodes[i]!.sqnrDb).toBeGreaterThanOrEqual(r.nodes[i - 1]!.sqnrDb);
  });

  s.it('compares a quantized output where consumers read it: after its QuantizeLinear → DequantizeLinear', async () => {
    const { model, q, test } = await setup();
    const r = await compareModels(model, q, executor, batchesOf(test, 50));
    const relu = r.nodes.find((n) => n.node === '/f/f.2/Relu')!;
    expect(relu.candidateTensor).toBe(`${relu.tensor}_DequantizeLinear_Output`);
    const conv = r.nodes.find((n) => n.node === '/f/f.0/Conv')!;
    expect(conv.candidateTensor).toBe(conv.tensor);
    expect(conv.inputSqnrDb).toBe(Infinity);
  });

  s.it('accumulates over batches: the same rows in 1 or 8 batches give the same statistics', async () => {
    const { model, q, test } = await setup();
    const one = await compareModels(model, q, executor, batchesOf(test, 200));
    const eight = await compareModels(model, q, executor, batchesOf(test, 25));
    expect(eight.batches).toBe(8);
    expect(eight.outputs[0]!.sqnrDb).toBeCloseTo(one.outputs[0]!.sqnrDb, 6);
    expect(eight.outputs[0]!.maxAbsError).toBe(one.outputs[0]!.maxAbsError);
    expect(eight.nodes.map((n) => n.node)).toEqual(one.nodes.map((n) => n.node));
  });

  s.it('takes batches from an async iterable and stops after maxBatches', async () => {
    const { data, model, q, test } = await setup();
    async function* slowly() {
      for (const b of batchesOf(test, 25)) yield b;
    }
    const r = await compareModels(model, q, executor, slowly(), { maxBatches: 3 });
    expect(r.batches).toBe(3);
    expect(r.samples).toBe(75);
    const sync = await compareModels(model, q, executor, batchesOf(digitsRows(data, 1297, 1372).x, 25));
    expect(r.outputs[0]!.sqnrDb).toBeCloseTo(sync.outputs[0]!.sqnrDb, 9);
  });

  s.it('writes a JSON form with Infinity as a string and a text table limited by top', async () => {
    const { model, q, test } = await setup();
    const r = await compareModels(model, model, executor, batchesOf(test, 100));
    const json = JSON.parse(JSON.stringify(compareReportToJson(r)));
    expect(json.outputs[0].sqnrDb).toBe('Infinity');
    const q2 = await compareModels(model, q, executor, batchesOf(test, 100));
    const text = formatCompareReport(q2, { top: 2 });
    expect(text).toContain('logits');
    expect(text).toContain(`nodes, lowest SQNR first (2 of ${q2.nodes.length}`);
    expect(text).toContain(q2.nodes[0]!.node);
    expect(text).not.toContain(q2.nodes[2]!.node);
  });

  s.it('refuses a candidate that lacks one of the reference outputs (E_GRAPH)', async () => {
    const { model, test } = await setup();
    const g = createGraph('other');
    g.inputs.push({ name: 'input', type: { kind: 'tensor', dtype: 'float32', shape: ['N', 1, 8, 8] } });
    g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: ['N', 1, 8, 8] } });
    g.nodes.push({ name: 'relu', opType: 'Relu', domain: '', inputs: ['input'], outputs: ['y'], attributes: [] });
    const other: Model = createModel(g, 17);
    await expect(compareModels(model, other, executor, batchesOf(test, 100))).rejects.toMatchObject({ code: 'E_GRAPH', where: { tensor: 'logits' } });
  });

  s.it('reports -Infinity SQNR when the candidate gives NaN where the reference is finite', async () => {
    const mk = (op: string) => {
      const g = createGraph(op);
      g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [4] } });
      g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [4] } });
      g.nodes.push({ name: 'n', opType: op, domain: '', inputs: ['x'], outputs: ['y'], attributes: [] });
      return createModel(g, 17);
    };
    const x = new Tensor('float32', Float32Array.from([-1, 0.5, 2, 4]), [4]);
    const r = await compareModels(mk('Abs'), mk('Sqrt'), executor, [{ x }]);
    expect(r.outputs[0]!.sqnrDb).toBe(-Infinity);
    expect(r.nodes.map((n) => n.node)).toEqual(['n']);
  });
}

function nonFloat(s: SuiteContext): void {
  const executor = s.executor;
  s.it('lists a non-float model output as not compared and ignores non-float inputs of compared nodes', async () => {
    const mk = (scale: number) => {
      const g = createGraph('mixed');
      g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [4] } });
      g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: [4] } }, { name: 'shape', type: { kind: 'tensor', dtype: 'int64', shape: [1] } });
      g.initializers.set('k', new Tensor('float32', Float32Array.from([scale]), []));
      g.nodes.push({ name: 'shape_of', opType: 'Shape', domain: '', inputs: ['x'], outputs: ['shape'], attributes: [] });
      g.nodes.push({ name: 'scale', opType: 'Mul', domain: '', inputs: ['x', 'k'], outputs: ['xs'], attributes: [] });
      g.nodes.push({ name: 'reshape', opType: 'Reshape', domain: '', inputs: ['xs', 'shape'], outputs: ['y'], attributes: [] });
      return createModel(g, 17);
    };
    const x = new Tensor('float32', Float32Array.from([1, 2, 3, 4]), [4]);
    const cand = mk(1.01);
    cand.graph.nodes[2]!.inputs = ['x_scaled', 'shape'];
    cand.graph.nodes[1]!.outputs = ['x_scaled'];
    const r = await compareModels(mk(1), cand, executor, [{ x }]);
    expect(r.skipped).toEqual([{ tensor: 'shape', reason: 'int64 in the reference (not float32)' }]);
    expect(r.outputs.map((o) => o.tensor)).toEqual(['y']);
    expect(r.outputs[0]!.sqnrDb).toBeCloseTo(40, 3); // 1% error everywhere: 10·log10(1/0.0001)
    const reshape = r.nodes.find((n) => n.node === 'reshape')!;
    expect(reshape.inputSqnrDb).toBe(Infinity); // 'x_scaled' is not in the reference, 'shape' is int64
    expect(r.unmatched).toEqual([{ node: 'scale', opType: 'Mul', tensor: 'x_scaled' }]);
  });
}
