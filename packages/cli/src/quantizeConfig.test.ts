import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfig, mergeOptions, readConfigFile, resolveChecked } from './quantizeConfig.js';
import { useTempDir } from './test-support/tempDir.js';
import { catchQtkError, catchQtkRejection } from './test-support/qtkErrors.js';

const tmp = useTempDir('qtk-cli-config-');

describe('--config files', () => {
  it('reads a JSON QuantizeOptions object', async () => {
    const f = path.join(tmp(), 'ok.json');
    await fs.writeFile(f, JSON.stringify({ version: 1, method: 'entropy', perChannel: false, exclude: ['/head/'], blockSize: 64 }));
    expect(await readConfigFile(f)).toEqual({ version: 1, method: 'entropy', perChannel: false, exclude: ['/head/'], blockSize: 64 });
  });

  it('invalid JSON is E_OPTION naming the file', async () => {
    const f = path.join(tmp(), 'bad.json');
    await fs.writeFile(f, '{ "method": ');
    const e = await catchQtkRejection(readConfigFile(f));
    expect([e.code, e.where.file]).toEqual(['E_OPTION', f]);
    expect(e.message).toContain(`--config '${f}' is not valid JSON`);
  });

  it('a missing file is E_IO naming it', async () => {
    const e = await catchQtkRejection(readConfigFile(path.join(tmp(), 'none.json')));
    expect(e.code).toBe('E_IO');
    expect(e.message).toContain('none.json');
  });

  it.each<[unknown, string]>([
    [[1, 2], 'must hold a JSON object of quantize options, not array'],
    [{ methd: 'minmax' }, "unknown option 'methd'; known: version, mode,"],
    [{ percentile: '99.9' }, "option 'percentile' must be a number, got \"99.9\""],
    [{ perChannel: 'yes' }, "option 'perChannel' must be a boolean"],
    [{ exclude: 'conv1' }, "option 'exclude' must be a list of strings, got \"conv1\""],
    [{ opTypes: ['Conv', 3] }, "option 'opTypes' must be a list of strings"],
    [{ exclude: ['/a(/'] }, "--exclude '/a(/' is not a valid regular expression"],
  ])('%j is refused: %s', (json, message) => {
    const e = catchQtkError(() => checkConfig(json, 'cfg.json'));
    expect(e.code).toBe('E_OPTION');
    expect(e.message).toContain(message);
  });
});

describe('merging and resolving', () => {
  it('flags override config fields; fields only in the config stay', () => {
    expect(mergeOptions({ method: 'entropy', perChannel: false, exclude: ['a'] }, { method: 'minmax', exclude: ['b'] }))
      .toEqual({ method: 'minmax', perChannel: false, exclude: ['b'] });
  });

  it('a value core refuses names the flag when a flag set it', () => {
    const e = catchQtkError(() => resolveChecked({ percentile: 20 }, { percentile: 20 }, 'cfg.json'));
    expect(e.code).toBe('E_OPTION');
    expect(e.where.option).toBe('percentile');
    expect(e.message).toBe('--percentile: option percentile=20 must be a number in [50, 100]');
  });

  it('a value core refuses names the config file when the config set it', () => {
    const e = catchQtkError(() => resolveChecked({ blockSize: 24 }, {}, 'cfg.json'));
    expect(e.where.file).toBe('cfg.json');
    expect(e.message).toBe("--config 'cfg.json': option blockSize=24 must be 0 or a power of two ≥ 16");
  });

  it.each<[Record<string, unknown>, string]>([
    [{ codebookSize: 100 }, '--codebook-size: option codebookSize=100 must be 16 or 256'],
    [{ activationType: 'int4' }, "--activation-type: option activationType='int4': 4-bit types are for weights only"],
    [{ minOutputSqnrDb: 5000 }, '--min-output-sqnr: option minOutputSqnrDb=5000 must be a number in [-1000, 1000]'],
    [{ averagingConstant: 2 }, '--averaging-constant: option averagingConstant=2 must be a number in [0, 1]'],
  ])('core range checks reach the user as flag errors: %j', (flags, message) => {
    expect(() => resolveChecked(flags, flags)).toThrow(message);
  });

  it('an option that would do nothing in the mode or method is E_OPTION naming its flag, or the config and its field', () => {
    const flag = catchQtkError(() => resolveChecked({ mode: 'dynamic', reduceRange: true, blockSize: 32 }, { reduceRange: true, blockSize: 32 }));
    expect(flag.message).toBe('--reduce-range applies to static mode only, and this is dynamic mode; --block-size applies to static and weight-only mode only, and this is dynamic mode: they would do nothing');
    expect(flag.where.option).toBe('reduce-range');
    const cfg = catchQtkError(() => resolveChecked({ mode: 'weight-only', perChannel: false }, { mode: 'weight-only' }, 'q.json'));
    expect(cfg.message).toBe("--config 'q.json': perChannel applies to static and dynamic mode only, and this is weight-only mode: it would do nothing");
    expect([cfg.where.option, cfg.where.file]).toEqual(['config', 'q.json']);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ percentile: 99 }, '--percentile applies to --method percentile only, and --method is mse'],
    [{ percentile: 99, method: 'entropy' }, '--percentile applies to --method percentile only, and --method is entropy'],
    [{ averagingConstant: 0.1, method: 'minmax' }, '--averaging-constant applies to --method moving-average only, and --method is minmax'],
    [{ sampleLimit: 0, method: 'minmax' }, '--sample-limit applies to --method entropy or percentile or mse only, and --method is minmax'],
    [{ mode: 'weight-only', codebookSize: 16 }, '--codebook-size applies to --weight-scheme codebook only, and --weight-scheme is uniform'],
    [{ mode: 'weight-only', format: 'qoperator' }, '--format applies to static mode only, and this is weight-only mode'],
    [{ mode: 'dynamic', minOutputSqnrDb: 30 }, '--min-output-sqnr applies to static mode only, and this is dynamic mode'],
    [{ mode: 'dynamic', symmetricWeights: false }, '--asymmetric-weights applies to static and weight-only mode only, and this is dynamic mode'],
    [{ mode: 'weight-only', weightScheme: 'log2', blockSize: 64 }, '--block-size applies to --weight-scheme uniform only, and --weight-scheme is log2'],
    [{ weightScheme: 'log2' }, '--weight-scheme applies to weight-only mode only, and this is static mode'],
  ])('method- and mode-specific flags out of scope are refused: %j', (flags, message) => {
    expect(() => resolveChecked(flags, flags)).toThrow(`${message}: it would do nothing`);
  });

  it('resolves an empty option set to core defaults', () => {
    const r = resolveChecked({}, {});
    expect([r.mode, r.method, r.format, r.perChannel]).toEqual(['static', 'mse', 'qdq', true]);
  });
});
