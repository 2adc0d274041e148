/**
 * SmoothQuant with the OpenVINO backend: INT8 output SQNR against float of the BERT encoder
 * with activation outlier channels, with and without SmoothQuant, same calibration and
 * held-out data; also the smoothed float model against the original.
 *
 * Usage: npx tsx --conditions=@qtk/source tools/bench/ov-smoothquant.ts
 *   [--layers=2] [--hidden=64] [--intermediate=256] [--outliers=2] [--outlier-scale=50]
 *   [--seq=32] [--calib=8] [--held=8] [--seed=0]
 *
 * The encoder (buildBertEncoder, seeded random weights; `--outliers` LayerNorm channels scaled
 * by `--outlier-scale`) is calibrated on `--calib` batches of random token ids (seed 1) and
 * measured on `--held` other batches (seed 2), batch 1, on onnxruntime-node. Rows: modelType
 * 'transformer' with preset 'performance' (int8 activations) and with its default 'mixed';
 * SmoothQuant with NNCF's default alpha 0.95 for MatMul. Prints only; asserts nothing.
 */
import { parseArgs } from 'node:util';
import { quantizeModel } from '@qtk/core';
import { buildBertEncoder } from '@qtk/models';
import { ortNode } from '@qtk/onnxruntime/node';
import { openvinoBackend, smoothQuantFor, type OpenvinoBackendOptions } from '@qtk/openvino';
import { outputSqnr, tokenBatches } from '../../packages/openvino/src/test-support/sqnrFixtures.js';

const { values } = parseArgs({
  options: {
    layers: { type: 'string', default: '2' },
    hidden: { type: 'string', default: '64' },
    intermediate: { type: 'string', default: '256' },
    outliers: { type: 'string', default: '2' },
    'outlier-scale': { type: 'string', default: '50' },
    seq: { type: 'string', default: '32' },
    calib: { type: 'string', default: '8' },
    held: { type: 'string', default: '8' },
    seed: { type: 'string', default: '0' },
  },
});
const num = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got '${values[name]}'`);
  return n;
};
const vocab = 1000;
const float = buildBertEncoder({
  layers: num('layers'), hidden: num('hidden'), heads: 4, intermediate: num('intermediate'), seed: num('seed'), vocab,
  outlierChannels: num('outliers'), outlierScale: num('outlier-scale'),
});
const calibration = tokenBatches(1, num('calib'), 1, num('seq'), vocab);
const heldOut = tokenBatches(2, num('held'), 1, num('seq'), vocab);
const out = 'last_hidden_state';

console.log(`BERT encoder: layers ${values.layers}, hidden ${values.hidden}, intermediate ${values.intermediate}, ${values.outliers} outlier channels x${values['outlier-scale']}, seq ${values.seq}; calibration ${calibration.length} batches (seed 1), held-out ${heldOut.length} (seed 2)`);
console.log('| backend options | SQNR without SmoothQuant (dB) | SQNR with SmoothQuant (dB) | difference (dB) |');
console.log('|---|---|---|---|');
let floatSqnr = 0;
for (const preset of ['performance', 'mixed'] as const) {
  const backendOptions: OpenvinoBackendOptions = { modelType: 'transformer', preset };
  const smooth = await smoothQuantFor(float, backendOptions, ortNode, calibration);
  floatSqnr = await outputSqnr(ortNode, float, smooth.model, heldOut, out);
  const sqnr: number[] = [];
  for (const m of [float, smooth.model]) {
    // Same backend options for both; SmoothQuant itself is applied (or not) above.
    const { model } = await quantizeModel(m, { backendOptions }, { backend: openvinoBackend, executor: ortNode, calibration });
    sqnr.push(await outputSqnr(ortNode, float, model, heldOut, out));
  }
  console.log(`| modelType transformer, preset ${preset} | ${sqnr[0]!.toFixed(2)} | ${sqnr[1]!.toFixed(2)} | ${(sqnr[1]! - sqnr[0]!).toFixed(2)} |`);
}
console.log(`\nsmoothed float model vs original: output SQNR ${floatSqnr.toFixed(1)} dB (float rounding only)`);
