/**
 * The per-node pass of `qtk quantize`'s quality check on PP-OCRv4 rec (the pass that
 * names the noisiest layers when the outputs are poor): one held-back line compared per
 * node with whole activations and with strided samples of them (`sampleLimit`, as the
 * check runs it), printing wall and CPU seconds, and the three layers each names.
 *
 * Usage: npx tsx --conditions=@qtk/source tools/bench/per-node-check.ts [rounds=3]
 */
import { compareModels, quantizeModel, type CompareReport } from '@qtk/core';
import { ortNode } from '@qtk/onnxruntime/node';
import { calibLines, loadRecModel } from './ocr-lines.js';

const rounds = Number(process.argv[2] ?? 3);
const model = await loadRecModel();
const lines = calibLines(100);
const { model: q } = await quantizeModel(model, {}, { executor: ortNode, calibration: lines.slice(0, 90).map((x) => ({ x })) });
const held = [{ x: lines[90]! }];
const worst = (r: CompareReport) => [...r.nodes].sort((a, b) => a.addedSqnrDb - b.addedSqnrDb || a.order - b.order).slice(0, 3)
  .map((n) => `${n.node} ${n.addedSqnrDb.toFixed(2)} dB`).join(', ');
for (let r = 0; r < rounds; r++) {
  for (const sampleLimit of [0, 16384]) {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const report = await compareModels(model, q, ortNode, held, { sampleLimit });
    const wall = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu);
    console.log(`${sampleLimit ? `sampled ${sampleLimit}` : 'whole'}: ${wall.toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU; noisiest: ${worst(report)}`);
  }
}
