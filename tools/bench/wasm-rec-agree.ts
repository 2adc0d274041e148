/**
 * PP-OCRv4 rec quantized by qtk (qdq and qoperator): greedy CTC text of @qtk/wasm against
 * onnxruntime-node on the same quantized model, over the shared eval lines.
 * Usage: npx tsx --conditions=@qtk/source tools/bench/wasm-rec-agree.ts [calibN=4] [evalN=30]
 */
import { encodeModel, quantizeModel, Tensor as CoreTensor } from '@qtk/core';
import { ortNode } from '@qtk/onnxruntime/node';
import { InferenceSession, Tensor } from '../../packages/wasm/src/index.js';
import { calibLines, decode, edit, evalLines, loadRecModel } from './ocr-lines.js';

const calibN = Number(process.argv[2] ?? 4), evalN = Number(process.argv[3] ?? 30);
const lines = evalLines(evalN);
for (const format of ['qdq', 'qoperator'] as const) {
  const { model } = await quantizeModel(await loadRecModel(), { format }, { executor: ortNode, calibration: calibLines(calibN).map((x) => ({ x })) });
  const s = await InferenceSession.create(encodeModel(model).model);
  const o = await ortNode.createSession(model);
  let same = 0, chars = 0, dist = 0;
  const diffs: string[] = [];
  for (const x of lines) {
    const a = await s.run({ x: new Tensor('float32', x.data as Float32Array, x.dims) });
    const b = await o.run({ x });
    const k = Object.keys(b)[0]!;
    const ta = decode(new CoreTensor('float32', a[k]!.dims, a[k]!.data as Float32Array)), tb = decode(b[k]!);
    const d = edit(ta, tb);
    if (d === 0) same++; else diffs.push(`'${ta}' vs '${tb}'`);
    dist += d; chars += [...tb].length;
  }
  await o.release();
  console.log(`${format} calib ${calibN}: same text on ${same}/${lines.length} lines, ${dist} edits over ${chars} characters (${((100 * dist) / chars).toFixed(2)}%)${diffs.length ? `; ${diffs.slice(0, 5).join('; ')}` : ''}`);
}
