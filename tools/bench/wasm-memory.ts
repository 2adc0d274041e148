/**
 * Memory of @qtk/wasm on ResNet18 INT8 (qtk QDQ, batch 1): WebAssembly memory size after
 * create and after a run, the arena of the memory plan, the kernel-memory constants (packed
 * weights and requantization factors) and the initializer bytes the session keeps in JS
 * (packed weights are dropped from JS for fixed input dims), against the bound
 * 2 x the model's weights + the two largest activations.
 * Usage: npx tsx --conditions=@qtk/source tools/bench/wasm-memory.ts [imageSize=224] [format=qdq|qoperator]
 */
import { encodeModel, quantizeModel, Tensor as CoreTensor } from '@qtk/core';
import { ortNode } from '@qtk/onnxruntime/node';
import { buildResNet18 } from '@qtk/models';
import { InferenceSession, Tensor, type SessionMemory } from '../../packages/wasm/src/index.js';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';

const size = Number(process.argv[2] ?? 224);
const format = (process.argv[3] ?? 'qdq') as 'qdq' | 'qoperator';
const mib = (b: number) => `${(b / 2 ** 20).toFixed(2)} MiB`;

/** Uniform [-1, 1) pixels from a fixed linear congruential sequence. */
function image(seed: number): CoreTensor {
  const d = new Float32Array(3 * size * size);
  let s = seed >>> 0;
  for (let i = 0; i < d.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; d[i] = s / 2 ** 31 - 1; }
  return new CoreTensor('float32', d, [1, 3, size, size]);
}

const fp32 = buildResNet18({ seed: 1, batch: 1, imageSize: size });
let fp32Weights = 0;
for (const t of fp32.graph.initializers.values()) fp32Weights += (t.data as ArrayBufferView).byteLength;
const { model } = await quantizeModel(buildResNet18({ seed: 1, batch: 1, imageSize: size }), { format }, {
  backend: onnxruntimeBackend,
  executor: ortNode, calibration: [1, 2, 3].map((i) => ({ input: image(i) })),
});
const bytes = encodeModel(model).model;
let weights = 0;
for (const t of model.graph.initializers.values()) weights += (t.data as ArrayBufferView).byteLength;

const s = await InferenceSession.create(bytes);
const created = s.memory();
const x = image(99);
await s.run({ input: new Tensor('float32', x.data as Float32Array, x.dims) });
const ran = s.memory();

const show = (what: string, m: SessionMemory) => {
  console.log(`${what}: wasm memory ${mib(m.wasmMemory)}, session heap ${mib(m.heap)} = constants ${mib(m.constants)} + arenas [${m.arenas.map(mib).join(', ')}]`);
};
console.log(`ResNet18 ${format} INT8, input [1,3,${size},${size}]; FP32 weights ${mib(fp32Weights)}, INT8 model initializers ${mib(weights)} (ONNX file ${mib(bytes.length)})`);
console.log(`initializers kept in JS ${mib(ran.initializers)}, dropped after packing ${mib(ran.droppedInitializers)}`);
show('after create', created);
show('after run   ', ran);
const [a1, a2] = ran.largestActivations;
const bound = 2 * weights + a1 + a2;
console.log(`runtime tensors ${mib(ran.activations)} in all, placed in an arena of ${mib(ran.arenas[0] ?? 0)} (scratch included)`);
console.log(`largest two activations ${mib(a1)} + ${mib(a2)}; bound 2 x weights + both = ${mib(bound)}`);
const kernelSide = ran.heap;
const total = ran.heap + ran.initializers;
console.log(`kernel memory of the session (constants + arena): ${mib(kernelSide)} = ${(kernelSide / bound).toFixed(2)} x bound -> ${kernelSide < bound ? 'within' : 'OVER'}`);
console.log(`plus initializers kept in JS: ${mib(total)} = ${(total / bound).toFixed(2)} x bound -> ${total < bound ? 'within' : 'OVER'}`);
console.log(`whole WebAssembly memory + JS initializers: ${mib(ran.wasmMemory + ran.initializers)} = ${((ran.wasmMemory + ran.initializers) / bound).toFixed(2)} x bound`);
