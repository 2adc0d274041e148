/**
 * Peak memory of static quantization against issue 3's bound: peak RSS while quantizing
 * PP-OCRv4 rec stays under 3x the model size plus one batch of activations, whatever the
 * calibration set size. Run it once per set size (each in a fresh process, since peak RSS
 * only grows), e.g. for 25, 100 and 500 lines:
 *
 *   for n in 25 100 500; do npx tsx --conditions=@qtk/source tools/bench/quantize-memory.ts $n; done
 *
 * Calibration lines are produced lazily (the 200 calibration lines, then the 300
 * evaluation lines, cycled), so the set size does not change what the caller holds.
 * "One batch of activations" is the bytes of every float tensor one run of the FP32
 * model produces (all intermediate values of one line, measured by fetching them all).
 * Prints: the RSS before quantizing (Node, the loaded model, onnxruntime's library loaded
 * and started by one run of a one-node model), the peak
 * RSS during quantization, the growth over the baseline, and the bound. Asserts nothing.
 */
import { readFileSync } from 'node:fs';
import { Tensor, createGraph, createModel, encodeModel, quantizeModel, type Feeds } from '@qtk/core';
import { ortNode } from '@qtk/onnxruntime/node';
import { loadRecModel } from './ocr-lines.js';
import { lineTensor } from './ocrLine.js';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

const n = Number(process.argv[2] ?? 100);
const MiB = 1024 * 1024;
const rssMiB = () => process.memoryUsage().rss / MiB;
const peakMiB = () => (process.resourceUsage().maxRSS * 1024) / MiB;

const model = await loadRecModel();
const modelBytes = encodeModel(model).model.byteLength;
const shared = new URL('../../fixtures/ocr-lines/', import.meta.url);
const sets = [readFileSync(new URL('calib/lines_u8_n200_48x320.bin', shared)), readFileSync(new URL('eval/lines_u8_n300_48x320.bin', shared))];
const total = 500;

/** Line `i` of the 500 (calibration then evaluation lines) as a [1, 3, 48, 320] tensor. */
const line = (i: number): Tensor => (i % total < 200 ? lineTensor(sets[0]!, i % total) : lineTensor(sets[1]!, (i % total) - 200));

function* batches(): Generator<Feeds> {
  for (let i = 0; i < n; i++) yield { x: line(i) };
}

// Load and start the runtime (its library is not quantization's memory): one run of a one-node model.
{
  const g = createGraph('warm');
  g.inputs.push({ name: 'a', type: { kind: 'tensor', dtype: 'float32', shape: [1] } });
  g.outputs.push({ name: 'b', type: { kind: 'tensor', dtype: 'float32', shape: [1] } });
  g.nodes.push({ name: 'relu', opType: 'Relu', domain: '', inputs: ['a'], outputs: ['b'], attributes: [] });
  const s = await ortNode.createSession(createModel(g, 13), {});
  await s.run({ a: new Tensor('float32', Float32Array.of(1), [1]) });
  await s.release();
}
const before = rssMiB();
const t0 = performance.now();
await quantizeModel(model, { method: 'entropy' }, { backend: onnxruntimeBackend, executor: ortNode, calibration: batches(), calibrationBatches: n });
const sec = (performance.now() - t0) / 1000;
const peak = peakMiB();
// One batch of activations: every float value one FP32 run produces (measured after the peak was read).
const names = model.graph.nodes.flatMap((nd) => nd.outputs).filter(Boolean);
let activationBytes = 0;
{
  const s = await ortNode.createSession(model, { extraOutputs: names, threads: 2 });
  const out = await s.run({ x: line(0) }, s.outputNames);
  for (const t of Object.values(out)) if (t.dtype === 'float32') activationBytes += t.data.byteLength;
  await s.release();
}
const bound = (3 * modelBytes + activationBytes) / MiB;
console.log(`PP-OCRv4 rec, entropy, ${n} calibration lines, ${sec.toFixed(1)} s`);
console.log(`  model ${(modelBytes / MiB).toFixed(1)} MiB, one batch of activations ${(activationBytes / MiB).toFixed(1)} MiB -> bound 3x model + activations = ${bound.toFixed(1)} MiB`);
console.log(`  RSS before quantizing ${before.toFixed(1)} MiB (Node, the loaded model, onnxruntime started); peak ${peak.toFixed(1)} MiB; growth ${(peak - before).toFixed(1)} MiB = ${((peak - before) / bound).toFixed(2)}x the bound`);
