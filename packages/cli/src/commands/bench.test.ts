import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGraph, createModel, encodeNpy, parseRawFloat32, sliceRows } from '@qtk/core';
import { saveModelFile } from '@qtk/core/node';
import { useTempDir } from '../test-support/tempDir.js';
import { runCli } from '../test-support/cliRun.js';
import { modelSources } from './bench.js';

const DIGITS = fileURLToPath(new URL('../../../../fixtures/digits/', import.meta.url));
const MODEL = path.join(DIGITS, 'digits_cnn.onnx');
/** The quickest run: onnxruntime-node only, one timed run, batch 1. */
const QUICK = ['--runtimes', 'onnxruntime-node', '--iterations', '1', '--warmup', '0', '--batch-sizes', '1'];

describe('qtk bench', () => {
  const tmp = useTempDir('qtk-cli-bench-');
  let seqModel: string;
  beforeAll(async () => {
    const x = parseRawFloat32(await fs.readFile(path.join(DIGITS, 'digits_x_f32_n1797_1x8x8.bin')), [1797, 1, 8, 8]);
    await fs.writeFile(path.join(tmp(), 'test.npy'), encodeNpy(sliceRows(x, 1297, 1337)));
    const g = createGraph('seq');
    g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: ['batch', 'seq'] } });
    g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: ['batch', 'seq'] } });
    g.nodes.push({ name: 'relu', opType: 'Relu', domain: '', inputs: ['x'], outputs: ['y'], attributes: [] });
    seqModel = path.join(tmp(), 'seq.onnx');
    await saveModelFile(createModel(g), seqModel);
  });

  it('benchmarks the digits model FP32 and INT8 (--precisions fp32,int8 means static INT8) and writes JSON, Markdown and HTML', async () => {
    const out = path.join(tmp(), 'digits');
    const r = await runCli('bench', '--models', 'digits', '--precisions', 'fp32,int8', ...QUICK, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const files = (await fs.readdir(out)).sort();
    expect(files).toEqual(expect.arrayContaining(['bench.html', 'bench.json', 'bench.md']));
    const json = JSON.parse(await fs.readFile(path.join(out, 'bench.json'), 'utf8')) as { settings: { precisions: string[] } };
    expect(json.settings.precisions).toEqual(['fp32', 'int8-static']);
    const md = await fs.readFile(path.join(out, 'bench.md'), 'utf8');
    expect(md).toContain('Quality data: digits test split, 500 images.');
    expect(md.split('\n').filter((l) => l.startsWith('|')).length).toBeGreaterThanOrEqual(4);
    expect(r.stdout).not.toContain('random noise');
  });

  it('measures quality on --data, saying so in the table and the HTML report', async () => {
    const out = path.join(tmp(), 'data');
    const r = await runCli('bench', '--models', MODEL, '--precisions', 'fp32,int8-dynamic', ...QUICK, '--data', path.join(tmp(), 'test.npy'), '--data-size', '30', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('data: 30 samples [1,8,8] float32 from');
    expect(r.stdout).toContain('data: 30 of 40 samples drawn with seed 0');
    const md = await fs.readFile(path.join(out, 'bench.md'), 'utf8');
    expect(md).toMatch(/Quality data: 30 samples \[1,8,8\] float32 from .*test\.npy -> input 'input', 1 batches of 32( \(chosen for a [^)]*\))?\./);
    expect(md).not.toContain('random noise');
    const json = JSON.parse(await fs.readFile(path.join(out, 'bench.json'), 'utf8')) as { cells: Array<{ precision: string; quality?: { rows: number; dataKind: string } }> };
    expect(json.cells.find((c) => c.precision === 'int8-dynamic')?.quality).toMatchObject({ rows: 30, dataKind: 'samples' });
    expect(await fs.readFile(path.join(out, 'bench.html'), 'utf8')).toContain('Quality data: 30 samples');
  });

  it('without --data, says plainly that quality was measured on random noise', async () => {
    const r = await runCli('bench', '--models', MODEL, '--precisions', 'fp32,int8-dynamic', ...QUICK, '--out', path.join(tmp(), 'noise'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('| quality (data: random noise) |');
    expect(r.stdout).toMatch(/top-1 agreement \d+% on random noise \|/);
    expect(r.stdout).toContain('quality: measured on seeded random noise, not real data');
    expect(r.stdout).toContain('give --data DATA for your own samples');
  });

  it('names an unset symbolic dim and --dim, exiting 1 with the reasons when every cell failed', async () => {
    const r = await runCli('bench', '--models', seqModel, '--precisions', 'fp32', ...QUICK, '--out', path.join(tmp(), 'seq-unset'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('qtk: bench measured nothing: all 1 cells failed');
    expect(r.stderr).toMatch(/qtk: {3}1 cell: run: cannot make inputs: input 'x' \[batch,seq\] has symbolic dim 'seq' at axis 1 and nothing sets its size; give it with --dim seq=SIZE/);
  });

  it('feeds a symbolic dim the size --dim gives it, and warns that --dim on the batch dim is ignored', async () => {
    const out = path.join(tmp(), 'seq');
    const r = await runCli('bench', '--models', seqModel, '--precisions', 'fp32', ...QUICK, '--dim', 'seq=6', '--dim', 'batch=2', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("warning: --dim batch=2 is ignored: 'batch' is the batch dim of model 'seq' (a first dim), which --batch-sizes sets");
    const json = JSON.parse(await fs.readFile(path.join(out, 'bench.json'), 'utf8')) as { models: Array<{ inputs: string[] }> };
    expect(json.models[0]!.inputs).toEqual(['x: 1x6']);
  });

  it('refuses a --dim no input has, a malformed --dim, --data with two models and a data flag without --data', async () => {
    const err = async (...argv: string[]) => (await runCli('bench', ...argv, ...QUICK, '--out', path.join(tmp(), 'x'))).stderr;
    expect(await err('--models', seqModel, '--dim', 'len=3')).toBe("qtk: --dim len: model 'seq' has no input dim named 'len'; its symbolic dims besides the batch: 'seq'\n");
    expect(await err('--models', seqModel, '--dim', 'seq')).toContain("--dim 'seq' must be NAME=SIZE");
    expect(await err('--models', `${MODEL},${seqModel}`, '--data', 'x.npy')).toContain('--data feeds one model; give a single --models item');
    expect(await err('--models', MODEL, '--resize', '8,8')).toBe('qtk: --resize applies to --data DATA, which is not given\n');
  });

  it('refuses an unknown precision listing the valid names, and an unknown runtime naming it', async () => {
    const p = await runCli('bench', '--models', 'digits', '--precisions', 'fp32,int3', '--out', path.join(tmp(), 'x'));
    expect(p.code).toBe(1);
    expect(p.stderr).toContain("unknown precision 'int3'; use fp32, int8-static, int8-dynamic, int4-weight-only, file:PATH.onnx, or a short name: float (fp32), int8 (int8-static)");
    const r = await runCli('bench', '--models', 'digits', '--runtimes', 'tensorflow', '--out', path.join(tmp(), 'x'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('tensorflow');
  });

  it('takes digits from the fixture next to the CLI when no workspace root is found, and still refuses the workspace-only models', async () => {
    const [digits, vad] = modelSources(['digits', 'silero-vad'], undefined);
    const model = await digits!.load();
    expect(model.graph.inputs[0]!.name).toBe('input');
    expect(model.graph.nodes.some((n) => n.opType === 'Conv')).toBe(true);
    await expect(vad!.load()).rejects.toMatchObject({ code: 'E_IO' });
  });
});
