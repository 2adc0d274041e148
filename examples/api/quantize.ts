// #region static
import { readFile } from 'node:fs/promises';
import { quantizeModel, parseRawFloat32, batchSamples } from '@qtk/core';
import { loadModelFile, saveModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import onnxruntimeBackend from '@qtk/onnxruntime/policy';   // where Q/DQ go, and the defaults

const model = await loadModelFile('fixtures/digits/digits_cnn.onnx');   // external data is read from beside the file

// Calibration samples: raw float32 [N, 1, 8, 8] (a .npy file: parseNpy), split into batches for the model's input.
const samples = parseRawFloat32(await readFile('fixtures/digits/digits_x_f32_n1797_1x8x8.bin'), [-1, 1, 8, 8]);
const { input, batches } = batchSamples(samples, model.graph.inputs[0]!, { batchSize: 32, maxSamples: 256 });
const feeds = batches.map((t) => ({ [input]: t }));         // one { inputName: Tensor } per batch

const { model: quantized, report } = await quantizeModel(
  model,
  { method: 'percentile', percentile: 99.99 },              // everything else: defaults
  { backend: onnxruntimeBackend, executor: ortNode, calibration: feeds },
);

await saveModelFile(quantized, 'digits.int8.onnx');         // temporary file, then rename
console.log(`${report.quantized.length} nodes quantized, ${report.float.length} left float`);
for (const f of report.float) console.log(`  ${f.name} (${f.opType}): ${f.reason}`);
// #endregion

// #region modes
const { model: dyn } = await quantizeModel(model, { mode: 'dynamic' }, { backend: onnxruntimeBackend });
const { model: w4 } = await quantizeModel(model, { mode: 'weight-only', blockSize: 64 }, { backend: onnxruntimeBackend });
const { model: cb } = await quantizeModel(model, { mode: 'weight-only', weightScheme: 'codebook', codebookSize: 16 }, { backend: onnxruntimeBackend });
// #endregion
console.log(`dynamic ${dyn.graph.nodes.length} nodes, weight-only ${w4.graph.nodes.length}, codebook ${cb.graph.nodes.length}`);

// #region qoperator
const mixed = await quantizeModel(
  model,
  { format: 'qoperator', minOutputSqnrDb: 35 },
  { backend: onnxruntimeBackend, executor: ortNode, calibration: feeds },
);
console.log(mixed.report.qoperator?.kept);                // nodes left in QDQ form, with reasons
console.log(mixed.report.mixedPrecision?.keptFloat);      // nodes kept float to reach 35 dB
// #endregion

// #region quality
import { compareModels, formatCompareReport } from '@qtk/core';

const cmp = await compareModels(model, quantized, ortNode, feeds.slice(0, 4));
console.log(formatCompareReport(cmp, { top: 10 }));
console.log('worst output SQNR', cmp.outputs[0]!.sqnrDb, 'dB');
// #endregion
