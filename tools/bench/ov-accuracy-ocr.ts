/**
 * PP-OCRv4 rec under @qtk/openvino: plain `quantize` (NNCF-style PTQ: symmetric
 * mean-min-max activations, fast bias correction) and `quantizeWithAccuracyControl` with
 * the metric 1 − CER on the first `valN` eval lines, then CER of FP32, PTQ and the
 * accuracy-controlled model on the other eval lines (held out: never seen by calibration,
 * ranking or the search). Calibration: the first `calibN` calib lines.
 * Prints FP32 / PTQ / accuracy-controlled CER on the held-out lines, compute ops
 * quantized / total, the reverted nodes and the minutes accuracy control took (its
 * calibration included).
 * Usage: npx tsx --conditions=@qtk/source tools/bench/ov-accuracy-ocr.ts [calibN=100] [valN=100] [maxDrop=0.01] [search=bisect] [backend=openvino|onnxruntime]
 * The placement is the OpenVINO backend's (NNCF's), or with `onnxruntime` onnxruntime's own
 * (the placement of `qtk quantize --method mean-minmax --symmetric-activations`).
 */
import type { Executor, Model, Tensor } from '@qtk/core';
import { Dataset, openvinoBackend, quantize, quantizeWithAccuracyControl, type SearchStrategy } from '@qtk/openvino';
import { ortNode } from '@qtk/onnxruntime/node';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';
import { calibLines, cerOf, decode, edit, evalLabels, evalLines, loadRecModel } from './ocr-lines.js';

const calibN = Number(process.argv[2] ?? 100), valN = Number(process.argv[3] ?? 100);
const maxDrop = Number(process.argv[4] ?? 0.01);
const search = (process.argv[5] ?? 'bisect') as SearchStrategy;
const backend = process.argv[6] === 'onnxruntime' ? onnxruntimeBackend : openvinoBackend;
const EVAL_LINES = 300;

/** onnxruntime-node with 2 intra-op threads per session. */
const executor: Executor = { name: 'onnxruntime-node (2 threads)', createSession: (m, o) => ortNode.createSession(m, { ...o, threads: o?.threads ?? 2 }) };

const model: Model = await loadRecModel();
const lines = evalLines(EVAL_LINES);
const labels = evalLabels();
const items = lines.map((x, i) => ({ x, label: labels[i]! }));
const validation = new Dataset(items.slice(0, valN), (it) => ({ x: it.x }));
const heldOut = items.slice(valN);
const calibration = new Dataset(calibLines(calibN), (x: Tensor) => ({ x }));

/** 1 − CER of `run` over the dataset's lines (greedy CTC). */
async function oneMinusCer(run: (f: Record<string, Tensor>) => Promise<Record<string, Tensor>>, ds: Dataset<{ x: Tensor; label: string }>): Promise<number> {
  let errors = 0, chars = 0;
  for (const [item, feeds] of ds.entries()) {
    const out = await run(feeds);
    errors += edit(decode(out[Object.keys(out)[0]!]!), item.label);
    chars += [...item.label].length;
  }
  return 1 - errors / chars;
}

const held = async (m: Model) => cerOf(m, heldOut.map((h) => h.x), heldOut.map((h) => h.label));
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const ctx = { executor, backend };

console.log(`calibration ${calibN} calib lines, validation eval 0..${valN - 1}, held out eval ${valN}..${EVAL_LINES - 1} (${heldOut.length} lines), maxDrop ${maxDrop}, search ${search}, backend ${backend.name}`);
const fp32 = await held(model);
console.log(`FP32 CER (held out): ${pct(fp32.cer)}`);
let t = performance.now();
const ptq = await quantize(model, calibration, { preset: 'performance', subsetSize: calibN }, ctx);
console.log(`PTQ: ${((performance.now() - t) / 1000).toFixed(1)} s`);
const ptqCer = await held(ptq.model);
console.log(`PTQ CER (held out): ${pct(ptqCer.cer)}`);

t = performance.now();
const ac = await quantizeWithAccuracyControl(model, calibration, validation, oneMinusCer, { preset: 'performance', subsetSize: calibN, maxDrop, search }, {
  ...ctx, onProgress: (p) => { if (p.stage !== 'calibrate') console.log(`  [${((performance.now() - t) / 60000).toFixed(2)} min] ${p.stage}: ${p.detail}`); },
});
const minutes = (performance.now() - t) / 60000;
const acCer = await held(ac.model);
const r = ac.report;
console.log(`accuracy control: metric float ${r.initialMetric.toFixed(4)}, quantized ${r.quantizedMetric.toFixed(4)}, final ${r.finalMetric.toFixed(4)}, drop ${r.drop.toFixed(4)} (${r.reached ? 'within' : 'NOT within'} ${maxDrop}), ${r.evaluations} evaluations, ${r.steps.length} search and refinement steps, ${r.ranking.length} entries ranked`);
console.log(`reverted (${r.reverted.length}): ${r.reverted.map((n) => `${n.name} (${n.opType})`).join(', ') || 'none'}`);
console.log(`\nFP32 CER (held out)               ${pct(fp32.cer)}`);
console.log(`PTQ CER (held out)                ${pct(ptqCer.cer)}`);
console.log(`accuracy-controlled CER (held out) ${pct(acCer.cer)}  (${((acCer.cer - fp32.cer) * 100).toFixed(2)} points from FP32)`);
console.log(`compute ops quantized/total       ${r.computeOps.quantized}/${r.computeOps.total}`);
console.log(`reverted nodes                    ${r.reverted.length}`);
console.log(`accuracy control                  ${minutes.toFixed(2)} min (calibration included)`);
