import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { QtkError } from '@qtk/core';
import { parseDims } from './args.js';
import { errorLines } from './main.js';
import { useTempDir } from './test-support/tempDir.js';
import { runCli } from './test-support/cliRun.js';

const DIGITS_MODEL = fileURLToPath(new URL('../../../fixtures/digits/digits_cnn.onnx', import.meta.url));

const tmp = useTempDir('qtk-cli-args-');
let model: string;
beforeAll(async () => {
  model = path.join(tmp(), 'model.onnx');
  await fs.copyFile(DIGITS_MODEL, model);
});

describe('dispatch, help and version', () => {
  it('an unknown command exits 1 with a qtk: message listing the commands', async () => {
    const r = await runCli('frobnicate', 'x');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("qtk: unknown command 'frobnicate'; commands: quantize, inspect, compare, bench, demo (see 'qtk --help')\n");
  });

  it('an unknown option names the option and the command', async () => {
    const r = await runCli('inspect', model, '--bogus');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("qtk: unknown option '--bogus' for 'qtk inspect' (see 'qtk inspect --help')\n");
  });

  it('an option without its value is named', async () => {
    const r = await runCli('quantize', model, '-o');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("option '--output' needs a value");
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = await runCli('--version');
    expect([r.code, r.stdout]).toEqual([0, `${pkg.version}\n`]);
  });

  it('no arguments and --help print the command list', async () => {
    for (const argv of [[], ['--help']]) {
      const r = await runCli(...argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^usage: qtk <command>/);
      expect(r.stdout).toContain('  quantize');
      expect(r.stdout).toContain('  inspect');
      expect(r.stdout).toContain('  demo');
    }
  });

  it.each(['quantize', 'inspect', 'compare', 'bench', 'demo'])('%s --help (and help %s) print its usage and options', async (name) => {
    const r = await runCli(name, '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: qtk ${name}`));
    expect(r.stdout).toContain('-h, --help');
    expect((await runCli('help', name)).stdout).toBe(r.stdout);
  });

  it('quantize --help lists every option, grouped under headings', async () => {
    const r = await runCli('quantize', '--help');
    const flags = [
      '-o, --output OUT.onnx', '--config FILE.json', '--report REPORT.json', '--threads N',
      '--mode static|dynamic|weight-only', '--format qdq|qoperator', '--activation-type TYPE', '--weight-type TYPE',
      '--per-channel', '--per-tensor', '--symmetric-activations', '--asymmetric-activations', '--symmetric-weights', '--asymmetric-weights',
      '--reduce-range', '--op-types A,B', '--exclude NAME|/REGEX/', '--no-preprocess', '--min-output-sqnr DB',
      '--method METHOD', '--percentile P', '--averaging-constant A', '--block-size N', '--weight-scheme uniform|log2|codebook', '--codebook-size 16|256',
      '--calib DATA', '--calib-shape DIMS', '--input NAME', '--calib-size N', '--seed S', '--batch-size N', '--holdout N',
      '--resize H,W|S', '--crop H,W', '--mean R,G,B', '--std R,G,B', '--scale F', '--layout nchw|nhwc', '--channels rgb|bgr|gray',
    ];
    for (const o of flags) expect(r.stdout).toContain(o);
    const headings = ['options:', 'quantization:', 'calibration method (static mode):', 'weights:', 'calibration data (static mode; in other modes, data for the quality check):', 'images (--calib with .png/.jpg files):'];
    const at = headings.map((h) => r.stdout.indexOf(`\n${h}\n`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });
});

describe('quantize argument errors', () => {
  it('a missing -o is an error and writes nothing', async () => {
    const before = await fs.readdir(tmp());
    const r = await runCli('quantize', model);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('qtk: missing -o OUT.onnx: say where to write the quantized model\n');
    expect(await fs.readdir(tmp())).toEqual(before);
  });

  it('a missing input model is an error', async () => {
    const r = await runCli('quantize', '-o', path.join(tmp(), 'x.onnx'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^qtk: quantize needs a model file/);
  });

  it('-o equal to the input is refused (same path, another spelling, a symlink) and the input bytes stay the same', async () => {
    const bytes = await fs.readFile(model);
    const link = path.join(tmp(), 'link.onnx');
    await fs.symlink(model, link);
    const spellings = [model, path.join(tmp(), '.', '..', path.basename(tmp()), 'model.onnx'), link];
    for (const out of spellings) {
      for (const extra of [[], ['--calib', path.join(tmp(), 'none.npy')]]) {
        const r = await runCli('quantize', model, '-o', out, ...extra);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/^qtk: -o '.*' is the input model '.*'; refusing to overwrite it/);
      }
    }
    expect(Buffer.compare(await fs.readFile(model), bytes)).toBe(0);
    expect((await fs.readdir(tmp())).sort()).toEqual(['link.onnx', 'model.onnx']);
    await fs.rm(link);
  });

  it('a bad --calib-shape is an option error naming the bad dim', async () => {
    const r = await runCli('quantize', model, '-o', path.join(tmp(), 'out.onnx'), '--calib', model, '--calib-shape', '64,x,8,8');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("qtk: --calib-shape '64,x,8,8': dim 1 is 'x'; dims are positive integers separated by commas (the first may be N)\n");
    await expect(fs.stat(path.join(tmp(), 'out.onnx'))).rejects.toThrow();
  });

  it('bad option values are named: --mode, --batch-size, --weight-type, --calib-size, --seed, --resize', async () => {
    const out = path.join(tmp(), 'out.onnx');
    const calib = ['--calib', 'x.npy'];
    expect((await runCli('quantize', model, '-o', out, '--mode', 'fast')).stderr).toBe("qtk: --mode must be one of static, dynamic, weight-only; got 'fast'\n");
    expect((await runCli('quantize', model, '-o', out, ...calib, '--batch-size', '0')).stderr).toBe("qtk: --batch-size must be a positive integer, got '0'\n");
    expect((await runCli('quantize', model, '-o', out, '--weight-type', 'int3')).stderr).toBe("qtk: --weight-type must be one of int8, uint8, int16, uint16, int4, uint4; got 'int3'\n");
    expect((await runCli('quantize', model, '-o', out, ...calib, '--calib-size', 'all')).stderr).toBe("qtk: --calib-size must be a positive integer, got 'all'\n");
    expect((await runCli('quantize', model, '-o', out, ...calib, '--seed', '-1')).stderr).toBe("qtk: --seed must be an integer ≥ 0, got '-1'\n");
    expect((await runCli('quantize', model, '-o', out, ...calib, '--resize', '1,2,3')).stderr).toBe("qtk: --resize '1,2,3' must be H,W or one size S\n");
    expect((await runCli('quantize', model, '-o', out, ...calib, '--mean', '0.5,x')).stderr).toBe("qtk: --mean '0.5,x': item 1 is 'x'; give numbers separated by commas\n");
    expect((await runCli('quantize', model, '-o', out, ...calib, '--layout', 'chw')).stderr).toBe("qtk: --layout must be one of nchw, nhwc; got 'chw'\n");
    expect((await runCli('quantize', model, '-o', out, ...calib, '--channels', 'rgba')).stderr).toBe("qtk: --channels must be one of rgb, bgr, gray; got 'rgba'\n");
    expect((await runCli('quantize', model, '-o', out, '--percentile', '20')).stderr).toBe('qtk: --percentile: option percentile=20 must be a number in [50, 100]\n');
    expect((await fs.readdir(tmp())).includes('out.onnx')).toBe(false);
  });

  it('calibration-only flags are refused in dynamic and weight-only mode, naming them', async () => {
    const out = path.join(tmp(), 'out.onnx');
    expect((await runCli('quantize', model, '-o', out, '--method', 'entropy')).stderr).toBe('qtk: --method applies to static mode only, and this is dynamic mode: it would do nothing\n');
    expect((await runCli('quantize', model, '-o', out, '--mode', 'weight-only', '--calib', 'x.npy', '--holdout', '4')).stderr)
      .toBe('qtk: --holdout applies to static mode only; weight-only mode needs no calibration\n');
  });

  it('a --config file that is not valid is named, and nothing is written', async () => {
    const cfg = path.join(tmp(), 'cfg.json');
    await fs.writeFile(cfg, JSON.stringify({ method: 'entropy', perChanel: false }));
    const r = await runCli('quantize', model, '-o', path.join(tmp(), 'out.onnx'), '--calib', 'x.npy', '--config', cfg);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^qtk: --config '.*cfg\.json': unknown option 'perChanel'; known: /);
    await fs.writeFile(cfg, JSON.stringify({ mode: 'static', blockSize: 20 }));
    expect((await runCli('quantize', model, '-o', path.join(tmp(), 'out.onnx'), '--calib', 'x.npy', '--config', cfg)).stderr)
      .toMatch(/^qtk: --config '.*cfg\.json': option blockSize=20 must be 0 or a power of two ≥ 16\n$/);
    await fs.rm(cfg);
  });

  it('static mode without --calib, and data flags without --calib, are refused', async () => {
    const out = path.join(tmp(), 'out.onnx');
    expect((await runCli('quantize', model, '-o', out, '--mode', 'static')).stderr).toMatch(/^qtk: static mode needs calibration data: --calib DATA/);
    expect((await runCli('quantize', model, '-o', out, '--calib-shape', '1,2')).stderr).toMatch(/^qtk: --calib-shape applies to --calib DATA, which is not given/);
  });

  it('an output folder that does not exist is refused before the model is read', async () => {
    const r = await runCli('quantize', path.join(tmp(), 'missing.onnx'), '-o', path.join(tmp(), 'no', 'such', 'out.onnx'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^qtk: cannot write --output '.*out\.onnx': folder '.*such' does not exist or is not writable/);
  });

  it('a missing input model file is an E_IO message saying it does not exist', async () => {
    const r = await runCli('quantize', path.join(tmp(), 'missing.onnx'), '-o', path.join(tmp(), 'out.onnx'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^qtk: model '.*missing\.onnx' does not exist\n$/);
  });
});

describe('parseDims', () => {
  it('reads positive dims and a leading N, ? or -1 as inferred (-1)', () => {
    expect(parseDims('1797,1,8,8', 'calib-shape')).toEqual([1797, 1, 8, 8]);
    expect(parseDims('N, 1, 8, 8', 'calib-shape')).toEqual([-1, 1, 8, 8]);
    expect(parseDims('?,3', 'calib-shape')).toEqual([-1, 3]);
  });

  it.each(['', '1,,8', '0,1', '1,N', '1.5,2', '-2,1'])('refuses %j with E_OPTION', (text) => {
    expect(() => parseDims(text, 'calib-shape')).toThrow(QtkError);
  });
});

describe('error printing', () => {
  it('QtkError messages print as they are; other errors add a hint; QTK_DEBUG=1 adds the stack', () => {
    expect(errorLines(new QtkError('E_IO', 'cannot read x'), false)).toEqual(['qtk: cannot read x']);
    const plain = new TypeError('boom');
    expect(errorLines(plain, false)).toEqual(['qtk: boom', 'qtk: this is unexpected; run with QTK_DEBUG=1 for the stack trace']);
    const debug = errorLines(plain, true);
    expect(debug[0]).toBe('qtk: boom');
    expect(debug[1]).toContain('TypeError: boom\n    at ');
  });
});
