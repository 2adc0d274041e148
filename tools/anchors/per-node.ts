/**
 * Per-node SQNR of two quantized versions of one float model (qtk's and another tool's),
 * on the side-by-side calibration/eval data: where does each lose accuracy?
 * Usage: [QTK_METHOD=mse] npx tsx --conditions=@qtk/source tools/anchors/per-node.ts mobilenetv2|resnet18 [OTHER.onnx]
 */
import { compareModels, quantizeModel, type CalibrationMethod } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { buildMobileNetV2, buildResNet18 } from '@qtk/models';
import { batches, calibrationFeeds, images } from './sideBySideData.ts';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

const [which = 'mobilenetv2', otherPath] = process.argv.slice(2);
const m = which === 'resnet18' ? buildResNet18({ seed: 1 }) : buildMobileNetV2({ seed: 1 });
const { model: q } = await quantizeModel(m, { method: process.env.QTK_METHOD as CalibrationMethod | undefined }, { backend: onnxruntimeBackend, executor: ortNode, calibration: calibrationFeeds() });
const evalFeeds = batches(images(16, 1234), 16, 'input', [1, 3, 224, 224]);
const mine = await compareModels(m, q, ortNode, evalFeeds);
const byTensor = new Map(mine.nodes.map((n) => [n.tensor, n.sqnrDb]));
console.log('qtk outputs', mine.outputs.map((o) => o.sqnrDb.toFixed(2)));
if (otherPath) {
  const other = await compareModels(m, await loadModelFile(otherPath), ortNode, evalFeeds);
  console.log('other outputs', other.outputs.map((o) => o.sqnrDb.toFixed(2)));
  const rows = [...other.nodes].sort((a, b) => a.order - b.order).map((n) => [n.node, n.tensor, byTensor.get(n.tensor), n.sqnrDb] as const);
  for (const r of rows) console.log(r[0].padEnd(40), (r[2] ?? NaN).toFixed(2).padStart(8), r[3].toFixed(2).padStart(8));
}
