import { describe, expect, it } from 'vitest';
import { QtkError, type AnyQuantizeOptions } from '@qtk/core';
import { parseCommandArgs } from './args.js';
import { quantizeCommand } from './commands/quantize.js';
import { FLAG_OF_FIELD, optionsFromFlags, quantizeOptionSpecs } from './quantizeFlags.js';

/** The QuantizeOptions that `argv` (quantize flags only) sets. */
const flags = (...argv: string[]) => optionsFromFlags(parseCommandArgs(quantizeCommand, argv));

/** The E_OPTION error parsing `argv` throws. */
function optionError(...argv: string[]): QtkError {
  try {
    flags(...argv);
  } catch (e) {
    expect(e).toBeInstanceOf(QtkError);
    expect((e as QtkError).code).toBe('E_OPTION');
    return e as QtkError;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

describe('quantize flags to QuantizeOptions', () => {
  it('no flags set no fields (core fills in the defaults)', () => {
    expect(flags()).toEqual({});
  });

  it.each<[string[], AnyQuantizeOptions]>([
    [['--mode', 'dynamic'], { mode: 'dynamic' }],
    [['--mode', 'weight-only'], { mode: 'weight-only' }],
    [['--method', 'entropy'], { method: 'entropy' }],
    [['--method', 'mean-minmax'], { method: 'mean-minmax' }],
    [['--method', 'percentile', '--percentile', '99.99'], { method: 'percentile', percentile: 99.99 }],
    [['--percentile', '99.9'], { percentile: 99.9 }],
    [['--method', 'moving-average', '--averaging-constant', '0.05'], { method: 'moving-average', averagingConstant: 0.05 }],
    [['--per-channel'], { perChannel: true }],
    [['--per-tensor'], { perChannel: false }],
    [['--format', 'qoperator'], { format: 'qoperator' }],
    [['--format', 'qdq'], { format: 'qdq' }],
    [['--activation-type', 'int16'], { activationType: 'int16' }],
    [['--weight-type', 'uint4'], { weightType: 'uint4' }],
    [['--symmetric-activations'], { symmetricActivations: true }],
    [['--asymmetric-activations'], { symmetricActivations: false }],
    [['--narrow-range-activations'], { narrowRangeActivations: true }],
    [['--full-range-activations'], { narrowRangeActivations: false }],
    [['--symmetric-weights'], { symmetricWeights: true }],
    [['--asymmetric-weights'], { symmetricWeights: false }],
    [['--reduce-range'], { reduceRange: true }],
    [['--no-preprocess'], { preprocess: false }],
    [['--no-bias-correction'], { biasCorrection: false }],
    [['--block-size', '64'], { blockSize: 64 }],
    [['--block-size', '0'], { blockSize: 0 }],
    [['--weight-scheme', 'codebook', '--codebook-size', '16'], { weightScheme: 'codebook', codebookSize: 16 }],
    [['--weight-scheme', 'log2'], { weightScheme: 'log2' }],
    [['--op-types', 'Conv,MatMul'], { opTypes: ['Conv', 'MatMul'] }],
    [['--min-output-sqnr', '30'], { minOutputSqnrDb: 30 }],
    [['--min-output-sqnr', '-2.5'], { minOutputSqnrDb: -2.5 }],
  ])('%j sets %j', (argv, want) => {
    expect(flags(...argv)).toEqual(want);
  });

  it('--exclude takes names and /regex/ items, comma lists and repeats, in order; commas inside a regex do not split it', () => {
    expect(flags('--exclude', 'conv1, /^head\\./', '--exclude', '/a{1,3}/,fc')).toEqual({ exclude: ['conv1', '/^head\\./', '/a{1,3}/', 'fc'] });
  });

  it('--op-types may be repeated', () => {
    expect(flags('--op-types', 'Conv', '--op-types', 'Gemm,MatMul').opTypes).toEqual(['Conv', 'Gemm', 'MatMul']);
  });

  it.each<[string[], string]>([
    [['--mode', 'fast'], "--mode must be one of static, dynamic, weight-only; got 'fast'"],
    [['--method', 'kl'], "--method must be one of minmax, moving-average, entropy, percentile, mse, mean-minmax; got 'kl'"],
    [['--format', 'qlinear'], "--format must be one of qdq, qoperator; got 'qlinear'"],
    [['--activation-type', 'int32'], "--activation-type must be one of int8, uint8, int16, uint16, int4, uint4; got 'int32'"],
    [['--weight-type', 'fp8'], "--weight-type must be one of int8, uint8, int16, uint16, int4, uint4; got 'fp8'"],
    [['--weight-scheme', 'kmeans'], "--weight-scheme must be one of uniform, log2, codebook; got 'kmeans'"],
    [['--percentile', 'high'], "--percentile must be a number, got 'high'"],
    [['--averaging-constant', '1e'], "--averaging-constant must be a number, got '1e'"],
    [['--min-output-sqnr', '30dB'], "--min-output-sqnr must be a number, got '30dB'"],
    [['--block-size', '32.5'], "--block-size must be an integer, got '32.5'"],
    [['--block-size', '-32'], "--block-size must be an integer ≥ 0, got '-32'"],
    [['--codebook-size', 'big'], "--codebook-size must be an integer, got 'big'"],
    [['--per-channel', '--per-tensor'], '--per-channel and --per-tensor contradict each other; give one'],
    [['--symmetric-weights', '--asymmetric-weights'], '--symmetric-weights and --asymmetric-weights contradict each other; give one'],
    [['--symmetric-activations', '--asymmetric-activations'], '--symmetric-activations and --asymmetric-activations contradict each other; give one'],
    [['--op-types', ' , '], "--op-types needs at least one name, got ' , '"],
    [['--exclude', '/conv[/'], "--exclude '/conv[/' is not a valid regular expression"],
  ])('%j is an E_OPTION error naming the flag', (argv, message) => {
    const e = optionError(...argv);
    expect(e.message).toContain(message);
    expect(e.where.option).toBe(argv[0]!.slice(2));
  });

  it('every QuantizeOptions field but version has a flag listed in help', () => {
    const specs = quantizeOptionSpecs();
    for (const flag of Object.values(FLAG_OF_FIELD)) expect(specs[flag], flag).toBeDefined();
    expect(Object.keys(FLAG_OF_FIELD).sort()).toEqual([
      'activationType', 'averagingConstant', 'biasCorrection', 'blockSize', 'codebookSize', 'exclude', 'format', 'method', 'minOutputSqnrDb', 'mode',
      'narrowRangeActivations', 'opTypes', 'perChannel', 'percentile', 'preprocess', 'reduceRange', 'sampleLimit', 'symmetricActivations', 'symmetricWeights', 'weightScheme', 'weightType',
    ]);
  });

  it('help shows the defaults core resolves (not numbers written in the CLI)', () => {
    const specs = quantizeOptionSpecs();
    expect(specs.method!.help).toContain('(default mse)');
    expect(specs.percentile!.help).toContain('(default 99.999)');
    expect(specs['weight-type']!.help).toContain('default int8; int4 in weight-only mode');
    expect(specs['block-size']!.help).toContain('default 0; 32 in weight-only mode');
  });
});
