/**
 * Per-node SQNR of two quantized versions of one float model (qtk's and another tool's),
 * on the side-by-side calibration/eval data: where does each lose accuracy?
 * Usage: npx tsx --conditions=@qtk/source tools/anchors/per-node.ts mobilenetv2|resnet18 OTHER.onnx
 */
import { compareModels, quantizeModel, Tensor, type Feeds } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { buildMobileNetV2, buildResNet18 } from '../models/index.ts';

const [which = 'mobilenetv2', otherPath] = process.argv.slice(2);
function images(n: number, seed: number): Float32Array {
  const d = new Float32Array(n * 3 * 224 * 224);
  let s = seed >>> 0;
  for (let i = 0; i < d.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; d[i] = (s / 4294967296) * 2 - 1; }
  return d;
}
const per = 3 * 224 * 224;
const feeds = (d: Float32Array, n: number): Feeds[] => Array.from({ length: n }, (_, i) => ({ input: new Tensor('float32', [1, 3, 224, 224], d.slice(i * per, (i + 1) * per)) }));
const m = which === 'resnet18' ? buildResNet18({ seed: 1 }) : buildMobileNetV2({ seed: 1 });
const { model: q } = await quantizeModel(m, { method: (process.env.QTK_METHOD ?? 'minmax') as 'minmax' }, { executor: ortNode, calibration: feeds(images(32, 1), 32) });
const evalFeeds = feeds(images(16, 1234), 16);
const mine = await compareModels(m, q, ortNode, evalFeeds);
const byTensor = new Map(mine.nodes.map((n) => [n.tensor, n.sqnrDb]));
console.log('qtk outputs', mine.outputs.map((o) => o.sqnrDb.toFixed(2)));
if (otherPath) {
  const other = await compareModels(m, await loadModelFile(otherPath), ortNode, evalFeeds);
  console.log('other outputs', other.outputs.map((o) => o.sqnrDb.toFixed(2)));
  const rows = [...other.nodes].sort((a, b) => a.order - b.order).map((n) => [n.node, n.tensor, byTensor.get(n.tensor), n.sqnrDb] as const);
  for (const r of rows) console.log(r[0].padEnd(40), (r[2] ?? NaN).toFixed(2).padStart(8), r[3].toFixed(2).padStart(8));
}
