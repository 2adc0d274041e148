/**
 * PP-OCRv4 rec under qtk static INT8: calibrates once (all candidate tensors observed),
 * then converts with groups of nodes kept float and prints the CER of each variant, so
 * the parts of the model that cost accuracy show up.
 * Usage: npx tsx --conditions=@qtk/source tools/bench/ocr-ablate.ts [calibN=100] [evalN=100] [optionsJSON] [groups=comma list]
 */
import { convertStatic, prepareStatic, type Node, type QuantizeOptions } from '@qtk/core';
import { ortNode } from '@qtk/onnxruntime/node';
import { calibLines, cerOf, evalLabels, evalLines, loadRecModel } from './ocr-lines.js';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

const calibN = Number(process.argv[2] ?? 100), evalN = Number(process.argv[3] ?? 100);
const options = JSON.parse(process.argv[4] ?? '{}') as QuantizeOptions;
const only = process.argv[5]?.split(',');
const t0 = performance.now();
const state = await prepareStatic(await loadRecModel(), options, { backend: onnxruntimeBackend, executor: ortNode, calibration: calibLines(calibN).map((x) => ({ x })) }, { observeAll: true });
console.log(`calibrated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const nodes = state.model.graph.nodes;
const pool = nodes.findIndex((n) => n.opType === 'AveragePool');
const lastMatMul = nodes.map((n) => n.opType).lastIndexOf('MatMul');
const inits = state.model.graph.initializers;
const constOperand = (n: Node) => n.inputs.some((i) => inits.has(i));
const names = (pred: (n: Node, i: number) => boolean) => new Set(nodes.filter(pred).map((n) => n.name));
const all = names(() => true);
const groups: Record<string, Set<string>> = {
  none: new Set(),
  backbone: names((_, i) => i < pool),
  neck: names((_, i) => i >= pool && i < lastMatMul),
  head: names((_, i) => i >= lastMatMul),
  conv: names((n) => n.opType === 'Conv'),
  matmul: names((n) => n.opType === 'MatMul'),
  mulAddConst: names((n) => (n.opType === 'Mul' || n.opType === 'Add') && constOperand(n)),
  mulAddAct: names((n) => (n.opType === 'Mul' || n.opType === 'Add') && !constOperand(n)),
  activations: names((n) => ['Clip', 'HardSigmoid', 'Sigmoid', 'Relu', 'Softmax', 'HardSwish'].includes(n.opType)),
  pools: names((n) => n.opType.includes('Pool')),
  firstConv: names((n) => n === nodes.find((m) => m.opType === 'Conv')),
};
const xs = evalLines(evalN), labels = evalLabels().slice(0, evalN);
const fp = await cerOf(state.model, xs, labels);
console.log(`fp32 (preprocessed) CER ${(100 * fp.cer).toFixed(2)}%`);
for (const [g, set] of Object.entries(groups)) {
  if (only && !only.includes(g)) continue;
  for (const mode of g === 'none' ? ['float'] : ['float', 'only']) {
    const keep = mode === 'float' ? set : new Set([...all].filter((n) => !set.has(n)));
    const conv = convertStatic(state, keep);
    const r = await cerOf(conv.model, xs, labels);
    console.log(`${mode === 'float' ? 'keep float' : 'quantize only'} ${g.padEnd(12)} (${set.size} nodes): ${conv.units.length} units quantized, CER ${(100 * r.cer).toFixed(2)}%`);
  }
}
