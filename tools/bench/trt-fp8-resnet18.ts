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
import { policyFromHandlers, quantizeModel, type BackendPlugin, type Model, type QuantizeOptions, type Tensor } from '@qtk/core';
import { randomTensor, runOnce } from '@qtk/core/testing';
import { agreement } from '@qtk/bench';
import { ortNode } from '@qtk/onnxruntime/node';
import { buildResNet18 } from '@qtk/models';
import { TENSORRT_FP8_HANDLERS, TENSORRT_FP8_OPTIONS, tensorrtBackend } from '@qtk/tensorrt';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const size = option('size', 224);
const heldOut = option('held-out', 8);
const calibration = Array.from({ length: option('calib', 8) }, (_, i) => ({ input: randomTensor([1, 3, size, size], 1000 + i) }));
/** The held-out images as one batch (the model's batch dimension is symbolic). */
const probes = randomTensor([heldOut, 3, size, size], 5000);

/** The TensorRT backend with the FP8 placement whatever the type, so INT8 runs on the same Q/DQ positions. */
const fp8Placement: BackendPlugin = { ...tensorrtBackend, name: 'tensorrt-fp8-placement', policy: policyFromHandlers(TENSORRT_FP8_HANDLERS) };

/** The model's 'output' on the probe batch. */
const output = async (model: Model): Promise<Tensor> => (await runOnce(ortNode, model, { input: probes })).output!;

const build = () => buildResNet18({ seed: 1, imageSize: size });
const reference = await output(build());

const variants: Array<[string, BackendPlugin<any>, QuantizeOptions]> = [
  ['fp8 (e4m3fn, minmax)', tensorrtBackend, TENSORRT_FP8_OPTIONS],
  ['int8, minmax', fp8Placement, { method: 'minmax' }],
  ['int8, entropy', fp8Placement, {}],
  ['int8, TensorRT INT8 placement (entropy)', tensorrtBackend, {}],
];

console.log(`ResNet18 ${size}x${size}, ${calibration.length} calibration images, ${heldOut} held-out images, onnxruntime-node`);
console.log('| variant | output SQNR (dB) | top-1 agreement | quantized nodes | float nodes (Relu, Flatten, MaxPool left out) |');
console.log('| --- | ---: | ---: | ---: | --- |');
for (const [name, backend, options] of variants) {
  const { model, report } = await quantizeModel(build(), options, { backend, executor: ortNode, calibration });
  const q = agreement([reference], [await output(model)]);
  const float = report.float.filter((f) => !['Relu', 'Flatten', 'MaxPool'].includes(f.opType)).map((f) => `${f.name} (${f.reason})`);
  const db = typeof q.sqnrDb === 'number' ? q.sqnrDb.toFixed(2) : q.sqnrDb;
  console.log(`| ${name} | ${db} | ${Math.round(q.top1Agreement * q.rows)}/${q.rows} | ${report.quantized.length} | ${float.join('; ') || 'none'} |`);
}
