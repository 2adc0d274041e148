/**
 * PP-OCRv4 rec quantized by qtk (qdq and qoperator): greedy CTC text of @qtk/wasm against
 * onnxruntime-node on the same quantized model over the shared eval lines, and the largest
 * distance in quantization steps of the last 8-bit tensor. With --nodes, every 8-bit tensor
 * of the first line is compared and the first ones more than one step apart are listed.
 * Usage: npx tsx --conditions=@qtk/source tools/bench/wasm-rec-agree.ts [calibN=4] [evalN=30] [--nodes]
 */
import { encodeModel, quantizeModel, Tensor as CoreTensor } from '@qtk/core';
import { ortNode } from '@qtk/onnxruntime/node';
import { InferenceSession, Tensor } from '../../packages/wasm/src/index.js';
import { lastQuantized, stepStats, withOutput } from '../../packages/wasm/src/test-support/agreement.js';
import { compareQuantized, firstOver } from '../../packages/wasm/src/test-support/nodeAgreement.js';
import { calibLines, decode, edit, evalLines, loadRecModel } from './ocr-lines.js';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const calibN = Number(args[0] ?? 4), evalN = Number(args[1] ?? 30);
const nodes = process.argv.includes('--nodes');
const lines = evalLines(evalN);
for (const format of ['qdq', 'qoperator'] as const) {
  const { model } = await quantizeModel(await loadRecModel(), { format }, { backend: onnxruntimeBackend, executor: ortNode, calibration: calibLines(calibN).map((x) => ({ x })) });
  const last = lastQuantized(model);
  const s = await InferenceSession.create(encodeModel(withOutput(model, last)).model);
  const o = await ortNode.createSession(model, { extraOutputs: [last] });
  let same = 0, chars = 0, dist = 0, maxStep = 0;
  const diffs: string[] = [];
  for (const x of lines) {
    const a = await s.run({ x: new Tensor('float32', x.data as Float32Array, x.dims) });
    const b = await o.run({ x });
    const k = model.graph.outputs[0]!.name;
    const ta = decode(new CoreTensor('float32', a[k]!.data as Float32Array, a[k]!.dims)), tb = decode(b[k]!);
    maxStep = Math.max(maxStep, stepStats(a[last]!.data as Uint8Array, b[last]!.data as Uint8Array).max);
    const d = edit(ta, tb);
    if (d === 0) same++; else diffs.push(`'${ta}' vs '${tb}'`);
    dist += d; chars += [...tb].length;
  }
  await o.release();
  console.log(`${format} calib ${calibN}: same text on ${same}/${lines.length} lines, ${dist} edits over ${chars} characters (${((100 * dist) / chars).toFixed(2)}%), last 8-bit tensor within ${maxStep} steps${diffs.length ? `; ${diffs.slice(0, 5).join('; ')}` : ''}`);
  if (nodes) {
    const { steps } = await compareQuantized(model, { x: lines[0]! });
    const over = firstOver(steps);
    console.log(`  ${steps.length} 8-bit tensors on line 1: largest distance ${Math.max(...steps.map((t) => t.max))} steps, ${steps.filter((t) => t.max > 0).length} differ`);
    for (const t of over) console.log(`  ${t.max} steps (${(100 * t.overOne).toFixed(2)}% over one): ${t.op} '${t.node}' -> ${t.tensor}`);
  }
}
