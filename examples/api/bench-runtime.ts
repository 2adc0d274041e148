import { runBench, runtimeFromExecutor, modelFromFile, renderMarkdown, type RuntimePlugin } from '@qtk/bench';

// Any core Executor can be timed; here onnxruntime-node's stands in for your own engine.
const mine: RuntimePlugin = runtimeFromExecutor(async () => (await import('@qtk/onnxruntime/node')).ortNode, {
  name: 'my-engine', settings: { threads: 1 }, sessionOptions: { threads: 1 }, version: async () => '1.2.3',
});
const result = await runBench({
  models: [modelFromFile('digits', 'fixtures/digits/digits_cnn.onnx')], runtimes: [mine],
  precisions: ['fp32', 'int8-dynamic'], iterations: 10, batchSizes: [1],
});
console.log(renderMarkdown(result));
