/**
 * PP-OCRv4 rec: FP32 vs qtk static INT8 character error rate on the shared ocr-lines
 * sets (greedy CTC), with default quantization options.
 * Usage: npx tsx --conditions=@qtk/source tools/bench/ocr-quick.ts [calibN=100] [evalN=300] [optionsJSON] [preprocessJSON]
 * (preprocessJSON: options of `preprocess`, run before quantizing with `preprocess: false`; omit for the pipeline's own).
 * Prints quantization seconds, plain FP32 inference seconds over the calib lines, and
 * FP32 / INT8 CER (and exact-line rate) over the eval lines.
 */
import { cloneModel, preprocess, quantizeModel, type PreprocessOptions, type QuantizeOptions } from '@qtk/core';
import { ortNode } from '@qtk/onnxruntime/node';
import { calibLines, cerOf, evalLabels, evalLines, loadRecModel } from './ocr-lines.js';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

const calibN = Number(process.argv[2] ?? 100), evalN = Number(process.argv[3] ?? 300);
const options = JSON.parse(process.argv[4] ?? '{}') as QuantizeOptions;
const pre = process.argv[5] ? (JSON.parse(process.argv[5]) as PreprocessOptions) : undefined;
const model = await loadRecModel();
const calib = calibLines(calibN);
const evalX = evalLines(evalN);
const labels = evalLabels().slice(0, evalN);

const s = await ortNode.createSession(model, { threads: 2 });
let t = performance.now();
for (const x of calib) await s.run({ x });
const fp32Seconds = (performance.now() - t) / 1000;
await s.release();

t = performance.now();
const input = pre ? cloneModel(model) : model;
if (pre) preprocess(input, pre);
const { model: q, report } = await quantizeModel(input, pre ? { ...options, preprocess: false } : options, { backend: onnxruntimeBackend, executor: ortNode, calibration: calib.map((x) => ({ x })) });
const quantSeconds = (performance.now() - t) / 1000;
console.log(`options ${JSON.stringify(options)}${pre ? ` preprocess ${JSON.stringify(pre)}` : ''}`);
console.log(`quantize ${quantSeconds.toFixed(1)} s (${calibN} calib lines), ${report.quantized.length} quantized, ${report.float.length} float`);
console.log(`fp32 inference over the ${calibN} calib lines: ${fp32Seconds.toFixed(2)} s`);
const f = await cerOf(model, evalX, labels), i8 = await cerOf(q, evalX, labels);
console.log(`CER fp32 ${(100 * f.cer).toFixed(2)}% (exact ${f.exact.toFixed(3)})  int8 ${(100 * i8.cer).toFixed(2)}% (exact ${i8.exact.toFixed(3)})  (${evalN} eval lines)`);
