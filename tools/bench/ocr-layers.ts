/**
 * Where PP-OCRv4 rec loses accuracy under qtk static INT8: calibrates once, converts with
 * default options, then runs the float (preprocessed) and quantized models on eval lines
 * with every float tensor exposed and prints each tensor's SQNR (dB) against float in
 * graph order, the worst tensors, and the float nodes with their reasons.
 * Usage: npx tsx --conditions=@qtk/source tools/bench/ocr-layers.ts [calibN=100] [lines=16] [optionsJSON]
 */
import { convertStatic, prepareStatic, withExtraOutputs, type Model, type QuantizeOptions, type Tensor } from '@qtk/core';
import { ortNode } from '@qtk/onnxruntime/node';
import { calibLines, evalLines, loadRecModel } from './ocr-lines.js';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

const calibN = Number(process.argv[2] ?? 100), nLines = Number(process.argv[3] ?? 16);
const options = JSON.parse(process.argv[4] ?? '{}') as QuantizeOptions;
const state = await prepareStatic(await loadRecModel(), options, { backend: onnxruntimeBackend, executor: ortNode, calibration: calibLines(calibN).map((x) => ({ x })) }, { observeAll: true });
const conv = convertStatic(state);
const reasons = new Map<string, number>();
for (const f of conv.float) reasons.set(`${f.opType}: ${f.reason}`, (reasons.get(`${f.opType}: ${f.reason}`) ?? 0) + 1);
console.log('float nodes:', [...reasons].map(([k, v]) => `${v}x ${k}`).join('\n  '));

const fm = state.model, qm = conv.model;
const qNames = new Set<string>();
for (const n of qm.graph.nodes) for (const o of n.outputs) qNames.add(o);
const order = fm.graph.nodes.flatMap((n) => n.outputs.filter((o) => o && qNames.has(o) && fm.graph.valueInfo.get(o)?.type?.kind === 'tensor' && (fm.graph.valueInfo.get(o)!.type as { dtype: string }).dtype === 'float32').map((o) => ({ o, node: n })));
const names = order.map((e) => e.o);

async function all(m: Model, xs: Tensor[]): Promise<Array<Record<string, Tensor>>> {
  const s = await ortNode.createSession(withExtraOutputs(m, names), { threads: 2 });
  const out = [];
  for (const x of xs) out.push(await s.run({ x }));
  await s.release();
  return out;
}
const xs = evalLines(nLines);
const F = await all(fm, xs), Q = await all(qm, xs);
const rows = order.map(({ o, node }) => {
  let sig = 0, err = 0, lo = Infinity, hi = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const a = F[i]![o]!.data as Float32Array, b = Q[i]![o]!.data as Float32Array;
    for (let k = 0; k < a.length; k++) { sig += a[k]! ** 2; err += (a[k]! - b[k]!) ** 2; if (a[k]! < lo) lo = a[k]!; if (a[k]! > hi) hi = a[k]!; }
  }
  return { o, op: node.opType, node: node.name, sqnr: 10 * Math.log10(sig / Math.max(err, 1e-30)), lo, hi };
});
console.log('\ntensor SQNR in graph order (dB), float range');
for (const r of rows) console.log(`${r.sqnr.toFixed(1).padStart(6)}  ${r.op.padEnd(18)} ${r.o.padEnd(40)} [${r.lo.toFixed(2)}, ${r.hi.toFixed(2)}]`);
