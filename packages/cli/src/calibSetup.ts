/**
 * Calibration batches for `qtk quantize`: reads images or tensors from `--calib`,
 * chooses the input they feed (or, for per-input data, matches each array to the input
 * it names), samples `--calib-size` of them with `--seed` (the same rows of every input),
 * batches them by `--batch-size` and adds constant feeds for mask and segment-id inputs.
 *
 * Example: `--calib imgs/ --calib-size 100` over 1,000 PNGs decodes 100 of them (the same
 * 100 on every run) into [100,3,224,224] and batches of 32, 32, 32 and 4.
 */
import { QtkError, batchInputs, batchSamples, formatDims, sharedSampleCount, type Feeds, type InputBatches, type Model, type Tensor } from '@qtk/core';
import { findImageFiles, loadCalibData } from './calibData.js';
import { sampleIndices, takeRows } from './calibSampling.js';
import { companionInputs, feedInputs, feedsFor, matchIntegerType, namedInputs, pickInput, type Companion } from './calibInputs.js';
import { loadInputArrays, type InputArrays } from './calibSources.js';
import { loadImages, planImages, type ImageFlags } from './imageCalib.js';

/** What the calibration flags asked for. */
export interface CalibRequest {
  /** `--calib`: a file or folder, or one NAME=FILE per model input (the option repeated). */
  sources: readonly string[];
  /** `--calib-shape` of a raw float32 file. */
  shape?: number[];
  /** `--input`. */
  inputName?: string;
  batchSize?: number;
  /** `--calib-size`: how many samples to draw. */
  size?: number;
  /** `--seed` of the draw. */
  seed: number;
  /** Image flags; `given` lists those set on the command line (refused for tensor data). */
  image: ImageFlags;
  imageFlagsGiven: string[];
}

/** Calibration batches ready for `quantizeModel`, and what to tell the user about them. */
export interface CalibSetup {
  feeds: Feeds[];
  batches: number;
  samples: number;
  /** Lines for stdout: where the data came from, how it was batched. */
  lines: string[];
  /** For the JSON report. */
  info: Record<string, unknown>;
}

/** Reads, samples and batches the calibration data for `model`. */
export async function setupCalibration(model: Model, r: CalibRequest): Promise<CalibSetup> {
  const perInput = await loadInputArrays(r.sources, feedInputs(model).map((v) => v.name));
  if (perInput) return setupInputArrays(model, perInput, r);
  const source = r.sources[0]!;
  const images = await findImageFiles(source);
  let tensor: Tensor;
  let files: string[];
  let total: number;
  let what: string;
  let input;
  if (images) {
    if (r.shape) throw new QtkError('E_OPTION', `--calib-shape applies to a raw float32 file, but '${source}' holds images`, { option: 'calib-shape' });
    input = pickInput(model, r.inputName, 'float32');
    const plan = planImages(input, r.image);
    total = images.length;
    files = r.size === undefined ? images : sampleIndices(images.length, r.size, r.seed).map((i) => images[i]!);
    tensor = await loadImages(files, plan);
    const n = plan.norm;
    what = `${files.length === 1 ? files[0] : `${files.length} images in ${source}`} (${n.channels} ${n.layout}, ${plan.height}x${plan.width}, scale ${formatNumber(n.scale)}, mean ${n.mean.map(formatNumber).join(',')}, std ${n.std.map(formatNumber).join(',')})`;
  } else {
    refuseImageFlags(r, `'${source}'`);
    const data = await loadCalibData(source, { shape: r.shape });
    files = data.files;
    input = pickInput(model, r.inputName, data.tensor.dtype);
    total = data.tensor.dims[0] ?? 1;
    tensor = r.size === undefined ? data.tensor : takeRows(data.tensor, sampleIndices(total, r.size, r.seed));
    tensor = matchIntegerType(tensor, input);
    what = files.length === 1 ? files[0]! : `${files.length} files in ${source}`;
  }
  const companions = companionInputs(model, [input]);
  const b = batchSamples(tensor, input, { batchSize: r.batchSize });
  const head = `calibration: ${b.samples} samples ${formatDims(tensor.dims.slice(1))} ${tensor.dtype} from ${what} -> input '${input.name}', ${b.batches.length} batches of ${b.batchSize}`;
  const batches = { ...b, inputs: [input.name], batches: b.batches.map((t) => ({ [input.name]: t })) };
  return finishSetup(batches, companions, r, total, head, { files, input: input.name });
}

/**
 * Per-input data: each array feeds the model input it names, the same rows drawn from
 * each and batched alike. `--input`, `--calib-shape` and image flags are refused.
 */
function setupInputArrays(model: Model, data: InputArrays, r: CalibRequest): CalibSetup {
  const what = `per-input data from ${data.what}`;
  if (r.inputName !== undefined) {
    throw new QtkError('E_OPTION', `--input picks the input of single-input data; ${what} names its inputs (${data.arrays.map((a) => a.name).join(', ')}); leave --input out`, { option: 'input' });
  }
  if (r.shape) throw new QtkError('E_OPTION', `--calib-shape applies to a raw float32 file, but ${what} is .npy arrays`, { option: 'calib-shape' });
  refuseImageFlags(r, what);
  const inputs = namedInputs(model, data.arrays.map((a) => a.name));
  const companions = companionInputs(model, inputs);
  const arrayFor = (name: string) => data.arrays.find((a) => a.name === name)!;
  const total = sharedSampleCount(Object.fromEntries(data.arrays.map((a) => [a.name, a.tensor])));
  const rows = r.size === undefined ? undefined : sampleIndices(total, r.size, r.seed);
  const fed = inputs.map((input) => {
    const t = arrayFor(input.name).tensor;
    return { input, data: matchIntegerType(rows ? takeRows(t, rows) : t, input) };
  });
  const b = batchInputs(fed, { batchSize: r.batchSize });
  const each = fed.map((f) => `'${f.input.name}' <- ${arrayFor(f.input.name).from} ${formatDims(f.data.dims.slice(1))} ${f.data.dtype}`);
  const head = `calibration: ${b.samples} samples from ${data.what} -> inputs ${each.join(', ')}; ${b.batches.length} batches of ${b.batchSize}`;
  return finishSetup(b, companions, r, total, head, { files: data.files, inputs: Object.fromEntries(fed.map((f) => [f.input.name, arrayFor(f.input.name).from])) });
}

/** The setup from batched feeds: companion fills added, summary lines after `head`, the report's info after `info`. */
function finishSetup(b: InputBatches, companions: readonly Companion[], r: CalibRequest, total: number, head: string, info: Record<string, unknown>): CalibSetup {
  const lines = [head];
  if (r.size !== undefined) {
    lines.push(r.size >= total ? `calibration: --calib-size ${r.size} asks for all ${total} samples there are` : `calibration: ${r.size} of ${total} samples drawn with seed ${r.seed}`);
  }
  if (companions.length) lines.push(`calibration: ${companions.map((c) => `'${c.input.name}' gets ${c.fill}`).join(', ')}`);
  if (b.dropped) lines.push(`calibration: ${b.dropped} trailing samples left out (the model fixes the batch dim to ${b.batchSize})`);
  return {
    feeds: feedsFor(b.batches, companions),
    batches: b.batches.length,
    samples: b.samples,
    lines,
    info: {
      ...info, samples: b.samples, dropped: b.dropped, batches: b.batches.length, batchSize: b.batchSize,
      ...(r.size !== undefined && { drawn: { size: r.size, of: total, seed: r.seed } }),
      ...(companions.length && { constantInputs: Object.fromEntries(companions.map((c) => [c.input.name, c.fill])) }),
    },
  };
}

/** E_OPTION naming the image flags given when the data (`what`, as the message names it) is not images. */
function refuseImageFlags(r: CalibRequest, what: string): void {
  if (r.imageFlagsGiven.length === 0) return;
  const flags = r.imageFlagsGiven.map((f) => `--${f}`).join(', ');
  throw new QtkError('E_OPTION', `${flags} ${r.imageFlagsGiven.length > 1 ? 'apply' : 'applies'} to image calibration data (.png, .jpg), but ${what} is not images`, { option: r.imageFlagsGiven[0] });
}

/** A number short: `0.00392157` for 1/255, `0.5`, `1`. */
function formatNumber(v: number): string {
  return String(Number(v.toPrecision(6)));
}
