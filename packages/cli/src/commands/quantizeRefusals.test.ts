// qtk quantize (and the other commands) on input that would do nothing or cannot be read:
// refused with a typed message, or run with a `warning:` line. Dynamic mode keeps these fast.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../test-support/tempDir.js';
import { runCli } from '../test-support/cliRun.js';
import { loadModelFile, saveModelFile } from '@qtk/core/node';

const MODEL = fileURLToPath(new URL('../../../../fixtures/digits/digits_cnn.onnx', import.meta.url));
const tmp = useTempDir('qtk-cli-refusals-');

describe('qtk quantize: selections that match nothing', () => {
  it('warns of op types and exclude entries that match nothing, naming the model\'s op types and the closest node names, and still quantizes', async () => {
    const out = path.join(tmp(), 'warn.onnx');
    const r = await runCli('quantize', MODEL, '-o', out, '--op-types', 'Conv,Add', '--exclude', '/f/f.0/Cnv', '--exclude', '/^head/');
    expect(r.code).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: '));
    expect(warnings).toEqual([
      'warning: --op-types: Add is not in the model, which has Conv, Flatten, Gemm, GlobalAveragePool, MaxPool, Relu',
      "warning: --exclude: '/f/f.0/Cnv' matches no node; closest node names: /f/f.0/Conv, /f/f.3/Conv, /f/f.7/Conv",
      expect.stringMatching(/^warning: --exclude: '\/\^head\/' matches no node; (closest node names|node names look like): /),
    ]);
    expect(r.stdout).toContain('quantized 3 ops: Conv 3');
    await fs.stat(out);
  });

  it('--op-types naming no op type of the model is E_OPTION, and writes nothing', async () => {
    const out = path.join(tmp(), 'none.onnx');
    const r = await runCli('quantize', MODEL, '-o', out, '--op-types', 'Add,LSTM');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('qtk: --op-types: option opTypes selects nothing to quantize: Add, LSTM are not in the model, which has Conv, Flatten, Gemm, GlobalAveragePool, MaxPool, Relu\n');
    await expect(fs.stat(out)).rejects.toThrow();
  });

  it('a run that quantizes no op exits 1 with E_NOTHING_QUANTIZED saying why and what to try, and writes neither model nor report', async () => {
    const out = path.join(tmp(), 'zero.onnx');
    const report = path.join(tmp(), 'zero.json');
    const r = await runCli('quantize', MODEL, '-o', out, '--mode', 'weight-only', '--exclude', '/Conv|Gemm/', '--report', report);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^qtk: quantized no op \(weight-only mode\), so no model was written: Conv x3: excluded by user; Gemm x2: excluded by user; .*Try fewer or narrower --exclude entries/m);
    await expect(fs.stat(out)).rejects.toThrow();
    await expect(fs.stat(report)).rejects.toThrow();
  });
});

describe('qtk quantize: flags and config fields that do not apply', () => {
  it.each<[string[], string]>([
    [['--block-size', '32'], 'qtk: --block-size applies to static and weight-only mode only, and this is dynamic mode: it would do nothing\n'],
    [['--mode', 'weight-only', '--format', 'qoperator'], 'qtk: --format applies to static mode only, and this is weight-only mode: it would do nothing\n'],
    [['--mode', 'weight-only', '--per-tensor'], 'qtk: --per-tensor applies to static and dynamic mode only, and this is weight-only mode: it would do nothing\n'],
    [['--mode', 'weight-only', '--block-size', '0'], 'qtk: --block-size: option blockSize=0 (no blocks) does not apply to weight-only mode, which always quantizes weights in blocks: give a power of two ≥ 16 (default 32)\n'],
    [['--weight-scheme', 'log2'], 'qtk: --weight-scheme applies to weight-only mode only, and this is dynamic mode: it would do nothing\n'],
    [['--min-output-sqnr', '30'], 'qtk: --min-output-sqnr applies to static mode only, and this is dynamic mode: it would do nothing\n'],
    [['--threads', '2'], 'qtk: --threads applies with --calib only, and without it would do nothing\n'],
  ])('%j is refused naming the flag, and nothing is written', async (flags, message) => {
    const out = path.join(tmp(), 'scoped.onnx');
    const r = await runCli('quantize', MODEL, '-o', out, ...flags);
    expect([r.code, r.stderr]).toEqual([1, message]);
    await expect(fs.stat(out)).rejects.toThrow();
  });

  it('a --config field that does not apply is refused naming the file and the field', async () => {
    const cfg = path.join(tmp(), 'scoped.json');
    await fs.writeFile(cfg, JSON.stringify({ reduceRange: true }));
    const r = await runCli('quantize', MODEL, '-o', path.join(tmp(), 'cfg.onnx'), '--mode', 'weight-only', '--config', cfg);
    expect([r.code, r.stderr]).toEqual([1, `qtk: --config '${cfg}': reduceRange applies to static mode only, and this is weight-only mode: it would do nothing\n`]);
  });

  it('--report in dynamic mode without data warns that it holds no SQNR, and still writes the report', async () => {
    const report = path.join(tmp(), 'dyn.json');
    const r = await runCli('quantize', MODEL, '-o', path.join(tmp(), 'dyn.onnx'), '--report', report);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: --report applies fully with --calib only: without it the report holds no per-node or output SQNR against the float model\n');
    expect(JSON.parse(await fs.readFile(report, 'utf8')).quality).toBeUndefined();
  });
});

describe('a folder given as the model', () => {
  it('is a typed E_IO message in quantize, inspect and compare, naming the .onnx files it holds', async () => {
    const dir = path.join(tmp(), 'models');
    await fs.mkdir(dir);
    await fs.copyFile(MODEL, path.join(dir, 'digits.onnx'));
    const message = `qtk: model '${dir}' is a directory, not a file; it holds ${path.join(dir, 'digits.onnx')}\n`;
    expect(await runCli('quantize', dir, '-o', path.join(tmp(), 'q.onnx'))).toMatchObject({ code: 1, stderr: message });
    expect(await runCli('inspect', dir)).toMatchObject({ code: 1, stderr: message });
    expect(await runCli('compare', MODEL, dir, '--data', path.join(tmp(), 'x.npy'))).toMatchObject({ code: 1, stderr: message });
  });
});

describe('qtk quantize and inspect: attributes outside the op schemas', () => {
  it('refuse a MaxPool with a misspelt attribute, naming node and attribute, and write nothing', async () => {
    const model = await loadModelFile(MODEL);
    const pool = model.graph.nodes.find((n) => n.opType === 'MaxPool')!;
    pool.attributes.push({ name: 'stridgs', value: { kind: 'ints', value: [2, 2] } });
    const bad = path.join(tmp(), 'stridgs.onnx');
    await saveModelFile(model, bad);
    const want = new RegExp(`^qtk: MaxPool node '${pool.name.replace(/[/.]/g, '\\$&')}': attribute 'stridgs' is not an attribute of MaxPool`);
    const out = path.join(tmp(), 'stridgs.int8.onnx');
    const q = await runCli('quantize', bad, '-o', out, '--mode', 'dynamic');
    expect(q.code).toBe(1);
    expect(q.stderr).toMatch(want);
    await expect(fs.stat(out)).rejects.toThrow();
    const i = await runCli('inspect', bad);
    expect(i.code).toBe(1);
    expect(i.stderr).toMatch(want);
  });
});
