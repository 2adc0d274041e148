// #region tensorrt
import { readFile } from 'node:fs/promises';
import { batchSamples, parseRawFloat32 } from '@qtk/core';
import { loadModelFile, saveModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { quantize, readCalibrationCache } from '@qtk/tensorrt';

const model = await loadModelFile('fixtures/digits/digits_cnn.onnx');
const samples = parseRawFloat32(await readFile('fixtures/digits/digits_x_f32_n1797_1x8x8.bin'), [-1, 1, 8, 8]);
const { input, batches } = batchSamples(samples, model.graph.inputs[0]!, { batchSize: 32, maxSamples: 128 });
const calibration = batches.map((t) => ({ [input]: t }));

// INT8 for TensorRT, calibrated with EntropyCalibration2, and TensorRT's calibration cache.
const int8 = await quantize(model, { precision: 'int8', method: 'entropy', calibrationCache: true }, { executor: ortNode, calibration });
await saveModelFile(int8.model, 'digits.trt.onnx');
console.log(`int8: ${int8.report.quantized.length} nodes quantized, cache of ${readCalibrationCache(int8.cache!).scales.size} tensors`);

// The same Q/DQ from the cache alone: no executor, no calibration data.
const again = await quantize(model, { fromCache: int8.cache! });
console.log(`from the cache: ${again.report.quantized.length} nodes quantized`);

// FP8 E4M3: the result is at opset 19.
const fp8 = await quantize(model, { precision: 'fp8' }, { executor: ortNode, calibration });
console.log(`fp8: opset ${fp8.model.opsetImports.get('')}`);
// #endregion
