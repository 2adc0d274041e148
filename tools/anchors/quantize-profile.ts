/**
 * Stage times of static quantization on PP-OCRv4 rec next to one FP32 pass, for a machine
 * without the workspace (bundled like qtk-side.ts; see README.md).
 * Usage: node quantize-profile.mjs REC.onnx CALIB_U8.bin [lines=100] [method=entropy] [sampleLimit=16384] [rounds=2]
 * Prints one JSON line per round: FP32 pass seconds before and after, quantization seconds,
 * and the seconds of each stage `quantizeModel` profiles.
 */
import { readFileSync } from 'node:fs';
import { quantizeModel, type QuantizeOptions, type QuantizeStage } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { lineTensor } from '../bench/ocrLine.ts';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

const [modelPath, calibPath, nArg = '100', method = 'entropy', limitArg = '16384', roundsArg = '2'] = process.argv.slice(2);
if (!modelPath || !calibPath) throw new Error('usage: quantize-profile REC.onnx CALIB_U8.bin [lines] [method] [sampleLimit] [rounds]');
const n = Number(nArg);
const px = readFileSync(calibPath);
const feeds = Array.from({ length: n }, (_, i) => ({ x: lineTensor(px, i) }));
const model = await loadModelFile(modelPath);
const fp32Pass = async () => {
  const s = await ortNode.createSession(model, { threads: 2 });
  const t0 = performance.now();
  for (const f of feeds) await s.run(f);
  const sec = (performance.now() - t0) / 1000;
  await s.release();
  return sec;
};
await fp32Pass(); // warm-up
for (let r = 0; r < Number(roundsArg); r++) {
  const before = await fp32Pass();
  const stages = new Map<QuantizeStage, number>();
  const t0 = performance.now();
  const options: QuantizeOptions = { method: method as QuantizeOptions['method'], sampleLimit: Number(limitArg) };
  await quantizeModel(model, options, { backend: onnxruntimeBackend, executor: ortNode, calibration: feeds, profile: (s, ms) => stages.set(s, (stages.get(s) ?? 0) + ms / 1000) });
  const sec = (performance.now() - t0) / 1000;
  const after = await fp32Pass();
  console.log(JSON.stringify({ method, sampleLimit: options.sampleLimit, lines: n, quantize_s: +sec.toFixed(2), fp32_before_s: +before.toFixed(2), fp32_after_s: +after.toFixed(2),
    ratio: +(sec / ((before + after) / 2)).toFixed(2), stages: Object.fromEntries([...stages].map(([k, v]) => [k, +v.toFixed(2)])) }));
}
