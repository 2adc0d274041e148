/**
 * INT4 weight-only for TensorRT on the BERT-like encoder: output SQNR against float of
 * `quantizeInt4` with awq_lite and with rtn, at block sizes 128 and 64.
 *
 * Usage: npx tsx --conditions=@qtk/source tools/bench/trt-int4-bert.ts
 *   [--layers=2] [--hidden=256] [--intermediate=1024] [--seq=64] [--calib=8] [--held=8] [--seed=0]
 *
 * The encoder (buildBertEncoder, seeded random weights) is calibrated on `--calib` batches of
 * uniformly random token ids (seed 1) and measured on `--held` other batches (seed 2), batch 1.
 * SQNR is measured twice on onnxruntime-node: "exact" runs with graph optimizations off, so
 * DequantizeLinear and MatMul run as the ONNX spec says (float activations times dequantized
 * weights, as TensorRT's weight-only INT4 computes); "ort default" lets onnxruntime fuse them
 * into MatMulNBits, whose CPU kernel also quantizes the activations. Prints the awq_lite
 * alphas per layer at block 128. Prints only; asserts nothing.
 */
import { parseArgs } from 'node:util';
import { buildBertEncoder } from '@qtk/models';
import { ortNode } from '@qtk/onnxruntime/node';
import { quantizeInt4, type Int4Options } from '@qtk/tensorrt';
import { exactOrt, outputSqnr, tokenBatches } from '../../packages/tensorrt/src/int4/test-support/int4Fixtures.js';

const { values } = parseArgs({
  options: {
    layers: { type: 'string', default: '2' },
    hidden: { type: 'string', default: '256' },
    intermediate: { type: 'string', default: '1024' },
    seq: { type: 'string', default: '64' },
    calib: { type: 'string', default: '8' },
    held: { type: 'string', default: '8' },
    seed: { type: 'string', default: '0' },
  },
});
const int = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got '${values[name]}'`);
  return n;
};
const vocab = 1000;
const seq = int('seq');
const float = buildBertEncoder({ layers: int('layers'), hidden: int('hidden'), intermediate: int('intermediate'), seed: int('seed'), vocab, seqLen: 'S' });
const calibration = tokenBatches(1, int('calib'), 1, seq, vocab);
const heldOut = tokenBatches(2, int('held'), 1, seq, vocab);
const out = 'last_hidden_state';

console.log(`BERT-like encoder: layers ${values.layers}, hidden ${values.hidden}, intermediate ${values.intermediate}, seq ${seq}; calibration ${calibration.length} batches (seed 1), held-out ${heldOut.length} (seed 2)`);
console.log('| algorithm | block | SQNR exact (dB) | SQNR ort default (dB) | quantized | seconds |');
console.log('|---|---|---|---|---|---|');
const alphas: string[] = [];
for (const blockSize of [128, 64]) {
  for (const algorithm of ['awq_lite', 'rtn'] as const) {
    const options: Int4Options = { blockSize, algorithm };
    const t0 = performance.now();
    const { model, report } = await quantizeInt4(float, options, algorithm === 'rtn' ? {} : { executor: exactOrt, calibration });
    const seconds = (performance.now() - t0) / 1000;
    const exact = await outputSqnr(exactOrt, float, model, heldOut, out);
    const fused = await outputSqnr(ortNode, float, model, heldOut, out);
    console.log(`| ${algorithm} | ${blockSize} | ${exact.toFixed(2)} | ${fused.toFixed(2)} | ${report.quantized.length} | ${seconds.toFixed(1)} |`);
    if (algorithm === 'awq_lite' && blockSize === 128) {
      for (const l of report.layers) alphas.push(`${l.node}: alpha ${l.alpha}, MSE ${l.mse.toExponential(3)} (rtn ${l.rtnMse.toExponential(3)}, written ${l.writtenMse.toExponential(3)})`);
    }
  }
}
console.log('\nawq_lite at block 128, per layer (calibration MSE of the layer output):');
for (const line of alphas) console.log(`  ${line}`);
