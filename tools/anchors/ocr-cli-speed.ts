/**
 * `qtk quantize` on PP-OCRv4 rec with default options, timed against plain FP32 passes in
 * the same run, for a machine without the workspace (bundled like qtk-side.ts; see README.md).
 * Usage: [THREADS=2] node ocr-cli-speed.mjs QTK.mjs REC.onnx [rounds=2] [-- extra qtk flags]
 * THREADS sets onnxruntime's intra-op threads on both sides (qtk's --threads), for a machine
 * with more cores than the 2 the process is pinned to.
 * Each round prints one JSON line: the FP32 pass over the 100 calibration lines before and
 * after (onnxruntime-node, default threads, one line per run), the wall time and peak RSS of
 * the qtk command (a child process), and quantize / mean FP32.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatRows, encodeNpy } from '@qtk/core';
import { loadModelFile } from '@qtk/core/node';
import { ortNode } from '@qtk/onnxruntime/node';
import { calibLines } from '../bench/ocr-lines.js';

const dash = process.argv.indexOf('--');
const [bin, rec, roundsArg = '2'] = process.argv.slice(2, dash < 0 ? undefined : dash);
const threads = Number(process.env.THREADS ?? 0);
const extra = [...(dash < 0 ? [] : process.argv.slice(dash + 1)), ...(threads ? ['--threads', String(threads)] : [])];
if (!bin || !rec) throw new Error('usage: ocr-cli-speed QTK.mjs REC.onnx [rounds] [-- flags]');
const dir = mkdtempSync(join(tmpdir(), 'qtk-ocr-speed-'));
try {
  const calib = calibLines(100);
  const npy = join(dir, 'lines.npy');
  writeFileSync(npy, encodeNpy(concatRows(calib)));
  const model = await loadModelFile(rec);
  const fp32Pass = async () => {
    const s = await ortNode.createSession(model, threads ? { threads } : {});
    const t = performance.now();
    for (const x of calib) await s.run({ x });
    const sec = (performance.now() - t) / 1000;
    await s.release();
    return sec;
  };
  await fp32Pass();
  for (let r = 0; r < Number(roundsArg); r++) {
    const before = await fp32Pass();
    const res = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, bin, 'quantize', rec, '-o', join(dir, 'q.onnx'), '--calib', npy, ...extra], { encoding: 'utf8' });
    const after = await fp32Pass();
    if (res.status !== 0) throw new Error(`qtk quantize exited ${res.status}: ${res.stderr}`);
    const [wall, rssKb] = res.stderr.trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number];
    const summary = res.stdout.split('\n').find((l) => l.startsWith('time:')) ?? '';
    console.log(JSON.stringify({ bin, flags: extra.join(' '), quantize_s: wall, rss_mib: Math.round(rssKb / 1024), fp32_before_s: +before.toFixed(3), fp32_after_s: +after.toFixed(3), ratio: +(wall / ((before + after) / 2)).toFixed(2), summary }));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
