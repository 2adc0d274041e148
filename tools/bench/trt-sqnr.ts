/**
 * ResNet18 INT8 output error on onnxruntime-node: the TensorRT backend's placement against
 * the default onnxruntime backend, calibrated on the same seeded random images and measured
 * on other (held-out) seeded random images. Prints the output SQNR (dB, against FP32) and top-1
 * agreement of each variant; asserts nothing.
 *
 * Variants:
 * - onnxruntime: its defaults (uint8 asymmetric activations, int8 per-channel weights, MSE ranges);
 * - onnxruntime, symmetric int8: the same placement with int8 symmetric activations, which
 *   isolates what symmetric activations cost;
 * - tensorrt: its defaults (int8 symmetric, entropy ranges, TensorRT's placement);
 * - tensorrt, mse: TensorRT's placement with the onnxruntime default's MSE ranges;
 * - each backend without bias correction (the TensorRT backend corrects its float biases).
 *
 * Usage: npx tsx --conditions=@qtk/source tools/bench/trt-sqnr.ts [--calib=8] [--held-out=8] [--size=224]
 */
import { quantizeModel, Tensor, type BackendPlugin, type Model, type QuantizeOptions } from '@qtk/core';
import { ortNode } from '@qtk/onnxruntime/node';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';
import { buildResNet18 } from '@qtk/models';
import { tensorrtBackend } from '@qtk/tensorrt';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const calibCount = flag('calib', 8);
const heldOutCount = flag('held-out', 8);
const size = flag('size', 224);

/** Seeded values in [-1, 1) shaped [1, 3, size, size]. */
function image(seed: number): Tensor {
  const d = new Float32Array(3 * size * size);
  let s = seed >>> 0;
  for (let i = 0; i < d.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; d[i] = (s / 2 ** 32) * 2 - 1; }
  return new Tensor('float32', d, [1, 3, size, size]);
}

/** Outputs of `model` on each image, in one session. */
async function logits(model: Model, images: readonly Tensor[]): Promise<Float32Array[]> {
  const session = await ortNode.createSession(model, {});
  try {
    const out: Float32Array[] = [];
    for (const x of images) out.push(Float32Array.from((await session.run({ input: x })).output!.data as Float32Array));
    return out;
  } finally {
    await session.release?.();
  }
}

const argmax = (v: Float32Array) => v.reduce((best, x, i) => (x > v[best]! ? i : best), 0);

const float = buildResNet18({ seed: 1, batch: 1, imageSize: size });
const calibration = Array.from({ length: calibCount }, (_, i) => ({ input: image(1000 + i) }));
const heldOut = Array.from({ length: heldOutCount }, (_, i) => image(5000 + i));
const reference = await logits(float, heldOut);

const variants: Array<[string, BackendPlugin<any>, QuantizeOptions]> = [
  ['onnxruntime (uint8 asymmetric, mse)', onnxruntimeBackend, {}],
  ['onnxruntime, symmetric int8 activations (mse)', onnxruntimeBackend, { activationType: 'int8', symmetricActivations: true }],
  ['tensorrt (int8 symmetric, entropy)', tensorrtBackend, {}],
  ['tensorrt, mse ranges', tensorrtBackend, { method: 'mse' }],
  ['onnxruntime, no bias correction', onnxruntimeBackend, { biasCorrection: false }],
  ['tensorrt, no bias correction', tensorrtBackend, { biasCorrection: false }],
];

console.log(`ResNet18 ${size}x${size}, ${calibCount} calibration images, ${heldOutCount} held-out images, onnxruntime-node`);
console.log('| variant | output SQNR (dB) | top-1 agreement | float nodes (Relu, Flatten left out) |');
console.log('| --- | ---: | ---: | --- |');
for (const [name, backend, options] of variants) {
  const { model, report } = await quantizeModel(buildResNet18({ seed: 1, batch: 1, imageSize: size }), options, { backend, executor: ortNode, calibration });
  const q = await logits(model, heldOut);
  let signal = 0, noise = 0, agree = 0;
  q.forEach((v, i) => {
    const r = reference[i]!;
    for (let j = 0; j < r.length; j++) { signal += r[j]! ** 2; noise += (r[j]! - v[j]!) ** 2; }
    if (argmax(v) === argmax(r)) agree++;
  });
  const floatOps = report.float.filter((f) => !['Relu', 'Flatten'].includes(f.opType)).map((f) => `${f.opType} (${f.reason})`);
  console.log(`| ${name} | ${(10 * Math.log10(signal / noise)).toFixed(2)} | ${agree}/${q.length} | ${floatOps.join('; ') || 'none'} |`);
}
