/**
 * @qtk/bench: the benchmark harness. Compares FP32 with qtk's INT8 (static, dynamic) and
 * INT4 weight-only models across runtimes (onnxruntime-node, onnxruntime-web's wasm
 * backend in Node, qtk's wasm engine, or any `RuntimePlugin`), and renders the result as
 * JSON, a Markdown table and a self-contained HTML report with SVG charts.
 *
 * Example:
 *   const result = await runBench({ models: [modelFromFile('m', 'm.onnx')], runtimes: [ortNodeRuntime({ threads: 2 })] });
 *   console.log(renderMarkdown(result));
 */
export * from './stats.js';
export * from './schedule.js';
export * from './runtime.js';
export * from './runtimes/ortNode.js';
export * from './runtimes/ortWeb.js';
export * from './runtimes/qtkWasm.js';
export * from './runtimes/ortLike.js';
export * from './runtimes/registry.js';
export * from './feeds.js';
export * from './modelSource.js';
export * from './sources/digits.js';
export * from './sources/catalog.js';
export * from './precision.js';
export * from './quality.js';
export * from './machine.js';
export * from './result.js';
export * from './harness.js';
export * from './report/format.js';
export * from './report/markdown.js';
export * from './report/svg.js';
export * from './report/html.js';
export * from './report/write.js';
export * from './tinyModel.js';
export * from './sources/builders.js';
