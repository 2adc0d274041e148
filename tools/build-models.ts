/**
 * Writes the test/benchmark models as .onnx files.
 * Usage: `npx tsx --conditions=@qtk/source tools/build-models.ts OUT_DIR [resnet18|mobilenetv2|bert|pytorch-style|all] [--seed N]`
 */
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { saveModelFile } from '@qtk/core/node';
import { MODEL_BUILDERS, countParameters, type ModelKey } from '@qtk/models';

const USAGE = 'usage: build-models.ts OUT_DIR [resnet18|mobilenetv2|bert|pytorch-style|all]... [--seed N]';

/** Parses argv and writes the chosen models; returns the exit code. */
async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  let seed = 0;
  const si = args.indexOf('--seed');
  if (si >= 0) {
    seed = Number(args[si + 1]);
    if (!Number.isInteger(seed)) { console.error(`--seed needs an integer\n${USAGE}`); return 2; }
    args.splice(si, 2);
  }
  const [outDir, ...names] = args;
  if (!outDir || outDir === '--help' || outDir === '-h') { console.error(USAGE); return outDir ? 0 : 2; }
  const wanted = names.length === 0 || names.includes('all') ? (Object.keys(MODEL_BUILDERS) as ModelKey[]) : names;
  for (const n of wanted) {
    if (!(n in MODEL_BUILDERS)) { console.error(`unknown model '${n}'\n${USAGE}`); return 2; }
  }
  await mkdir(outDir, { recursive: true });
  for (const key of wanted as ModelKey[]) {
    const { file, build } = MODEL_BUILDERS[key];
    const t0 = performance.now();
    const model = build(seed);
    const out = path.join(outDir, file);
    const { bytes } = await saveModelFile(model, out);
    const ms = (performance.now() - t0).toFixed(0);
    console.log(`${out}: ${model.graph.nodes.length} nodes, ${countParameters(model).toLocaleString('en-US')} parameters, ${(bytes / 1e6).toFixed(1)} MB, ${ms} ms`);
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
