/**
 * Activation ranges qtk's calibration picks for PP-OCRv4 rec, MinMax against MSE, for
 * the tensors feeding each backbone Conv (the values whose 8-bit steps decide accuracy).
 * Usage: npx tsx --conditions=@qtk/source tools/bench/ocr-ranges.ts [calibN=30] [count=12]
 */
import { prepareStatic } from '@qtk/core';
import { ortNode } from '@qtk/onnxruntime/node';
import { calibLines, loadRecModel } from './ocr-lines.js';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

const calibN = Number(process.argv[2] ?? 30), count = Number(process.argv[3] ?? 12);
const model = await loadRecModel();
const ranges = [];
for (const method of ['minmax', 'mse'] as const) {
  const s = await prepareStatic(model, { method }, { backend: onnxruntimeBackend, executor: ortNode, calibration: calibLines(calibN).map((x) => ({ x })) });
  ranges.push({ s, method });
}
const convs = ranges[0]!.s.model.graph.nodes.filter((n) => n.opType === 'Conv').slice(0, count);
for (const c of convs) {
  const row = ranges.map(({ s, method }) => {
    const r = s.ranges.get(c.inputs[0]!) ?? s.ranges.get(c.outputs[0]!);
    return r ? `${method} [${r.min[0]!.toFixed(2)}, ${r.max[0]!.toFixed(2)}]` : `${method} -`;
  });
  const o = ranges.map(({ s, method }) => { const r = s.ranges.get(c.outputs[0]!); return r ? `${method} [${r.min[0]!.toFixed(2)}, ${r.max[0]!.toFixed(2)}]` : '-'; });
  console.log(`${c.name.padEnd(12)} input ${row.join('  ')}   output ${o.join('  ')}`);
}
