/**
 * ResNet18 FP8 against INT8 on onnxruntime-node, with the same (TensorRT FP8) placement
 * (the tensorrt backend places FP8 so for float8e4m3fn; the INT8 rows force that placement):
 * Q/DQ on Conv (within TensorRT's FP8 kernel limits, so the 7x7 stem stays float), Gemm and
 * residual-Add skip inputs. Calibrated on seeded random images, measured on other seeded
 * images: prints the output SQNR (dB, against FP32) and top-1 agreement of each variant, and
 * the nodes left float; asserts nothing. onnxruntime runs the FP8 model at optimization
 * level 'basic' (its executor picks it for float8 Q/DQ).
 *
 * Variants:
 * - fp8: float8e4m3fn activations and weights, MinMax (amax) ranges — the FP8 defaults;
 * - int8, minmax: symmetric int8 with the same ranges, which isolates the number format;
 * - int8, entropy: symmetric int8 with TensorRT's INT8 calibrator;
 * - int8, TensorRT INT8 placement (entropy): the backend's INT8 default, for reference.
 *
 * Usage: npx tsx --conditions=@qtk/source tools/bench/trt-fp8-resnet18.ts [--calib=8] [--held-out=8] [--size=224]
 */
import { policyFromHandlers, quantizeModel, sqnrDb, type BackendPlugin, type Model, type QuantizeOptions, type Tensor } from '@qtk/core';
import { randomTensor } from '@qtk/core/testing';
import { ortNode } from '@qtk/onnxruntime/node';
import { buildResNet18 } from '@qtk/models';
import { TENSORRT_FP8_HANDLERS, TENSORRT_FP8_OPTIONS, tensorrtBackend } from '@qtk/tensorrt';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const size = option('size', 224);
const calibration = Array.from({ length: option('calib', 8) }, (_, i) => ({ input: randomTensor([1, 3, size, size], 1000 + i) }));
const probes = Array.from({ length: option('held-out', 8) }, (_, i) => randomTensor([1, 3, size, size], 5000 + i));

/** The TensorRT backend with the FP8 placement whatever the type, so INT8 runs on the same Q/DQ positions. */
const fp8Placement: BackendPlugin = { ...tensorrtBackend, name: 'tensorrt-fp8-placement', policy: policyFromHandlers(TENSORRT_FP8_HANDLERS) };

/** The model's 'output' for each probe, in one session. */
async function outputs(model: Model, images: readonly Tensor[]): Promise<Float32Array[]> {
  const session = await ortNode.createSession(model, {});
  try {
    const out: Float32Array[] = [];
    for (const x of images) out.push(Float32Array.from((await session.run({ input: x })).output!.data as Float32Array));
    return out;
  } finally {
    await session.release();
  }
}

const top1 = (v: Float32Array) => v.reduce((best, x, i) => (x > v[best]! ? i : best), 0);
const build = () => buildResNet18({ seed: 1, batch: 1, imageSize: size });
const reference = await outputs(build(), probes);

const variants: Array<[string, BackendPlugin<any>, QuantizeOptions]> = [
  ['fp8 (e4m3fn, minmax)', tensorrtBackend, TENSORRT_FP8_OPTIONS],
  ['int8, minmax', fp8Placement, { method: 'minmax' }],
  ['int8, entropy', fp8Placement, {}],
  ['int8, TensorRT INT8 placement (entropy)', tensorrtBackend, {}],
];

console.log(`ResNet18 ${size}x${size}, ${calibration.length} calibration images, ${probes.length} held-out images, onnxruntime-node ${process.versions.node}`);
console.log('| variant | output SQNR (dB) | top-1 agreement | quantized nodes | float nodes (Relu, Flatten, MaxPool left out) |');
console.log('| --- | ---: | ---: | ---: | --- |');
for (const [name, backend, options] of variants) {
  const { model, report } = await quantizeModel(build(), options, { backend, executor: ortNode, calibration });
  const got = await outputs(model, probes);
  let signal = 0;
  let noise = 0;
  let agree = 0;
  got.forEach((v, i) => {
    const r = reference[i]!;
    for (let j = 0; j < r.length; j++) { signal += r[j]! ** 2; noise += (r[j]! - v[j]!) ** 2; }
    if (top1(v) === top1(r)) agree++;
  });
  const float = report.float.filter((f) => !['Relu', 'Flatten', 'MaxPool'].includes(f.opType)).map((f) => `${f.name} (${f.reason})`);
  console.log(`| ${name} | ${sqnrDb(signal, noise).toFixed(2)} | ${agree}/${got.length} | ${report.quantized.length} | ${float.join('; ') || 'none'} |`);
}
