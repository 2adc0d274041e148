/**
 * Bias correction with the OpenVINO backend: MobileNetV2 INT8 output SQNR against float, preset
 * `performance`, with core's bias correction on and off (option `biasCorrection`), same
 * calibration and held-out data. With this backend the biases stay float (NNCF's placement), and
 * the correction shifts each by its weight's rounding error times the input channel means.
 *
 * Usage: npx tsx --conditions=@qtk/source tools/bench/ov-bias-correction.ts
 *   [--size=64] [--batch=2] [--calib=8] [--held=8] [--seed=5] [--overflow-fix=first_layer_only|enable|disable]
 *
 * MobileNetV2 (buildMobileNetV2, seeded random weights, BatchNorm folded) is calibrated on
 * `--calib` batches of N(0, 1) images (seed 1) and measured on `--held` other batches (seed 2),
 * on onnxruntime-node. Prints only; asserts nothing.
 */
import { parseArgs } from 'node:util';
import { quantizeModel } from '@qtk/core';
import { buildMobileNetV2 } from '@qtk/models';
import { ortNode } from '@qtk/onnxruntime/node';
import { OVERFLOW_FIX_MODES, openvinoBackend, type OverflowFix } from '@qtk/openvino';
import { imageBatches, outputSqnr } from '../../packages/openvino/src/test-support/sqnrFixtures.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '64' },
    batch: { type: 'string', default: '2' },
    calib: { type: 'string', default: '8' },
    held: { type: 'string', default: '8' },
    seed: { type: 'string', default: '5' },
    'overflow-fix': { type: 'string', default: 'first_layer_only' },
  },
});
const int = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got '${values[name]}'`);
  return n;
};
const overflowFix = values['overflow-fix'] as OverflowFix;
if (!OVERFLOW_FIX_MODES.includes(overflowFix)) throw new Error(`--overflow-fix must be one of ${OVERFLOW_FIX_MODES.join(', ')}, got '${overflowFix}'`);
const size = int('size'), batch = int('batch');
const float = buildMobileNetV2({ batch, imageSize: size, seed: int('seed') });
const calibration = imageBatches(1, int('calib'), batch, size);
const heldOut = imageBatches(2, int('held'), batch, size);
const output = float.graph.outputs[0]!.name;

console.log(`MobileNetV2 ${size}x${size}, batch ${batch}, seed ${values.seed}; calibration ${calibration.length} batches (seed 1), held-out ${heldOut.length} (seed 2); openvino, preset performance, overflowFix ${overflowFix}`);
const sqnr: Record<string, number> = {};
for (const biasCorrection of [false, true]) {
  const { model, report } = await quantizeModel(float, { biasCorrection, backendOptions: { preset: 'performance', overflowFix } }, { backend: openvinoBackend, executor: ortNode, calibration });
  sqnr[String(biasCorrection)] = await outputSqnr(ortNode, float, model, heldOut, output);
  console.log(`bias correction ${biasCorrection ? 'on ' : 'off'}: output SQNR ${sqnr[String(biasCorrection)]!.toFixed(2)} dB (${report.quantized.length} nodes quantized)`);
}
console.log(`difference (on - off): ${(sqnr.true! - sqnr.false!).toFixed(2)} dB`);
