/**
 * The sample-data flags that `qtk quantize` (`--calib`), `qtk compare` and `qtk bench`
 * (`--data`) share: their option specs, their parsing into a `CalibRequest`, and reading
 * the data with `setupCalibration` under the command's own flag names.
 *
 * Example: `qtk compare a.onnx b.onnx --data imgs/ --data-size 100 --resize 256 --crop 224`
 * parses to `{ source: 'imgs/', size: 100, seed: 0, image: { resize: [256], crop: [224] }, ... }`.
 */
import { QtkError, isQtkError, type Feeds, type Model } from '@qtk/core';
import { choiceOpt, numberListOpt, numberOpt, parseDims, positiveIntOpt, stringOpt, type OptionSpec, type ParsedArgs } from './args.js';
import { setupCalibration, type CalibRequest, type CalibSetup } from './calibSetup.js';
import { memoryBudgetOpt } from './memoryBudgetFlag.js';
import type { ImageFlags } from './imageCalib.js';

/** The names one command gives its data flags (the other data flags are named alike everywhere). */
export interface DataFlagNames {
  /** The data itself: `calib` or `data`. */
  data: string;
  /** Shape of a raw float32 file. */
  shape: string;
  /** Samples drawn from the data. */
  size: string;
}

/** `qtk quantize`'s names: `--calib`, `--calib-shape`, `--calib-size`. */
export const CALIB_FLAGS: DataFlagNames = { data: 'calib', shape: 'calib-shape', size: 'calib-size' };

/** `qtk compare`'s and `qtk bench`'s names: `--data`, `--data-shape`, `--data-size`. */
export const DATA_FLAGS: DataFlagNames = { data: 'data', shape: 'data-shape', size: 'data-size' };

/** Image flags, by name. */
export const IMAGE_FLAGS = ['resize', 'crop', 'mean', 'std', 'scale', 'layout', 'channels'] as const;

/** How a command words its data flags in help. */
export interface DataHelp {
  /** Heading of the data flags. */
  group: string;
  /** Help of `--batch-size`: `calibration batch size (default 32; ...)`. */
  batchHelp: string;
}

/** The data flags' option specs under `names`, in help order. */
export function dataOptionSpecs(names: DataFlagNames, help: DataHelp): Record<string, OptionSpec> {
  const D = help.group;
  const I = `images (--${names.data} with .png/.jpg files)`;
  return {
    [names.data]: {
      type: 'string', value: 'DATA', group: D, multiple: true,
      help: 'a .npy file (float samples or int32/int64 token ids), a folder of .npy files, a raw float32 file, an image or a folder of images; ' +
        `for several inputs, NAME=FILE.npy once per input, a .npz with one array per input, or a folder of NAME.npy files named after the inputs`,
    },
    [names.shape]: { type: 'string', value: 'DIMS', group: D, help: `shape of a raw float32 --${names.data} file, e.g. N,1,8,8 (N: inferred)` },
    input: { type: 'string', value: 'NAME', group: D, help: 'model input single-input data feeds (default: the single float input, or the single token-id input for integer data)' },
    [names.size]: { type: 'string', value: 'N', group: D, help: 'use N samples drawn at random (seeded) from the data (default: all)' },
    seed: { type: 'string', value: 'S', group: D, help: `seed of the --${names.size} draw (default 0)` },
    'batch-size': { type: 'string', value: 'N', group: D, help: help.batchHelp },
    resize: { type: 'string', value: 'H,W|S', group: I, help: 'bilinear resize to HxW, or shorter side to S then center crop (default: the model input\'s HxW)' },
    crop: { type: 'string', value: 'H,W', group: I, help: 'center crop after resizing (default: none, or the model input\'s HxW after --resize S)' },
    mean: { type: 'string', value: 'R,G,B', group: I, help: 'subtracted after --scale, one value or one per channel (default 0)' },
    std: { type: 'string', value: 'R,G,B', group: I, help: 'divided by after subtracting --mean (default 1)' },
    scale: { type: 'string', value: 'F', group: I, help: 'pixel (0..255) multiplier, e.g. 1/255 or 1 (default 1/255)' },
    layout: { type: 'string', value: 'nchw|nhwc', group: I, help: 'channels first or last (default: from the model input\'s shape)' },
    channels: { type: 'string', value: 'rgb|bgr|gray', group: I, help: 'channel order, or one grey channel (default: gray for 1-channel inputs, else rgb)' },
  };
}

/** The data flags other than the data itself that were given, in the order users read them. */
export function dataFlagsGiven(args: ParsedArgs, names: DataFlagNames): string[] {
  return [names.shape, 'input', 'batch-size', names.size, 'seed', ...IMAGE_FLAGS].filter((f) => args.values[f] !== undefined);
}

/** The image flags given on the command line. */
export function imageFlags(args: ParsedArgs): ImageFlags {
  const dims = (name: string) => {
    const s = stringOpt(args, name);
    if (s === undefined) return undefined;
    const d = parseDims(s, name);
    if (d[0] === -1 || d.length > 2) throw new QtkError('E_OPTION', `--${name} '${s}' must be H,W or one size S`, { option: name });
    return d;
  };
  const scale = numberOpt(args, 'scale');
  return {
    resize: dims('resize'),
    crop: dims('crop'),
    mean: numberListOpt(args, 'mean'),
    std: numberListOpt(args, 'std'),
    ...(scale !== undefined && { scale }),
    layout: choiceOpt(args, 'layout', ['nchw', 'nhwc'] as const),
    channels: choiceOpt(args, 'channels', ['rgb', 'bgr', 'gray'] as const),
  };
}

/**
 * What the data flags ask for; undefined without the data flag. Data flags given without
 * it are E_OPTION naming them (they would do nothing).
 */
export function dataRequest(args: ParsedArgs, names: DataFlagNames): CalibRequest | undefined {
  const source = stringOpt(args, names.data);
  if (source === undefined) {
    const given = dataFlagsGiven(args, names);
    if (given.length) {
      throw new QtkError('E_OPTION', `${given.map((o) => `--${o}`).join(', ')} ${given.length > 1 ? 'apply' : 'applies'} to --${names.data} DATA, which is not given`, { option: given[0] });
    }
    return undefined;
  }
  const shapeText = stringOpt(args, names.shape);
  return {
    sources: args.lists?.[names.data] ?? [source],
    shape: shapeText === undefined ? undefined : parseDims(shapeText, names.shape),
    inputName: stringOpt(args, 'input'),
    batchSize: positiveIntOpt(args, 'batch-size'),
    size: positiveIntOpt(args, names.size),
    seed: numberOpt(args, 'seed', { integer: true, min: 0 }) ?? 0,
    image: imageFlags(args),
    imageFlagsGiven: IMAGE_FLAGS.filter((f) => args.values[f] !== undefined),
    maxTensorBytes: memoryBudgetOpt(args),
  };
}

/** `--calib`, `--calib-shape`, `--calib-size` in `text` under the command's own names. */
function renameFlags(text: string, names: DataFlagNames): string {
  return text.replace(/--calib(-shape|-size)?\b/g, (_, tail?: string) => `--${tail === '-shape' ? names.shape : tail === '-size' ? names.size : names.data}`);
}

/**
 * Reads, samples and batches the data for `model` as `setupCalibration` does; lines and
 * errors name the command's own flags (`data: ...`, `--data-shape`) where they differ
 * from quantize's.
 */
export async function setupData(model: Model, request: CalibRequest, names: DataFlagNames): Promise<CalibSetup> {
  if (names.data === CALIB_FLAGS.data) return setupCalibration(model, request);
  const byOption: Readonly<Record<string, string>> = { [CALIB_FLAGS.data]: names.data, [CALIB_FLAGS.shape]: names.shape, [CALIB_FLAGS.size]: names.size };
  try {
    const setup = await setupCalibration(model, request);
    return { ...setup, lines: setup.lines.map((l) => renameFlags(l.replace(/^calibration: /, `${names.data}: `), names)) };
  } catch (e) {
    if (!isQtkError(e)) throw e;
    const option = e.where.option;
    throw new QtkError(e.code, renameFlags(e.message, names), { ...e.where, ...(option !== undefined && { option: byOption[option] ?? option }) }, { cause: e });
  }
}

/**
 * Samples of `sources` for `model`, one feeds object each, read as `--calib` data is (the
 * same `--input`, `--calib-shape`, image and memory flags; no draw, no holdout), with
 * errors and lines naming `--flag`. Example: `--validation val.npy` of 100 rows gives 100 feeds.
 */
export async function loadSamples(model: Model, args: ParsedArgs, sources: readonly string[], flag: string): Promise<Feeds[]> {
  const shapeText = stringOpt(args, CALIB_FLAGS.shape);
  const request: CalibRequest = {
    sources, shape: shapeText === undefined ? undefined : parseDims(shapeText, CALIB_FLAGS.shape), inputName: stringOpt(args, 'input'),
    batchSize: 1, seed: 0, image: imageFlags(args), imageFlagsGiven: IMAGE_FLAGS.filter((f) => args.values[f] !== undefined),
    maxTensorBytes: memoryBudgetOpt(args),
  };
  try {
    return (await setupData(model, request, { data: flag, shape: CALIB_FLAGS.shape, size: CALIB_FLAGS.size })).feeds;
  } catch (e) {
    if (!isQtkError(e) || e.message.includes(`--${flag}`)) throw e;
    throw new QtkError(e.code, `--${flag} '${sources.join(' ')}': ${e.message.replace(/^calibration data /, 'data ')}`, { ...e.where, option: flag }, { cause: e });
  }
}
