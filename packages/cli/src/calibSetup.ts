/**
 * Calibration batches for `qtk quantize`: reads images or tensors from `--calib`,
 * chooses the input they feed, samples `--calib-size` of them with `--seed`, batches
 * them by `--batch-size` and adds constant feeds for mask and segment-id inputs.
 *
 * Example: `--calib imgs/ --calib-size 100` over 1,000 PNGs decodes 100 of them (the same
 * 100 on every run) into [100,3,224,224] and batches of 32, 32, 32 and 4.
 */
import { QtkError, batchSamples, formatDims, type Feeds, type Model, type Tensor } from '@qtk/core';
import { findImageFiles, loadCalibData } from './calibData.js';
import { sampleIndices, takeRows } from './calibSampling.js';
import { companionInputs, feedsFor, matchIntegerType, pickInput } from './calibInputs.js';
import { loadImages, planImages, type ImageFlags } from './imageCalib.js';

/** What the calibration flags asked for. */
export interface CalibRequest {
  /** `--calib`: a file or folder. */
  source: string;
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
  const images = await findImageFiles(r.source);
  let tensor: Tensor;
  let files: string[];
  let total: number;
  let what: string;
  let input;
  if (images) {
    if (r.shape) throw new QtkError('E_OPTION', `--calib-shape applies to a raw float32 file, but '${r.source}' holds images`, { option: 'calib-shape' });
    input = pickInput(model, r.inputName, 'float32');
    const plan = planImages(input, r.image);
    total = images.length;
    files = r.size === undefined ? images : sampleIndices(images.length, r.size, r.seed).map((i) => images[i]!);
    tensor = await loadImages(files, plan);
    const n = plan.norm;
    what = `${files.length === 1 ? files[0] : `${files.length} images in ${r.source}`} (${n.channels} ${n.layout}, ${plan.height}x${plan.width}, scale ${formatNumber(n.scale)}, mean ${n.mean.map(formatNumber).join(',')}, std ${n.std.map(formatNumber).join(',')})`;
  } else {
    if (r.imageFlagsGiven.length) {
      const flags = r.imageFlagsGiven.map((f) => `--${f}`).join(', ');
      throw new QtkError('E_OPTION', `${flags} ${r.imageFlagsGiven.length > 1 ? 'apply' : 'applies'} to image calibration data (.png, .jpg), but '${r.source}' is not images`, { option: r.imageFlagsGiven[0] });
    }
    const data = await loadCalibData(r.source, { shape: r.shape });
    files = data.files;
    input = pickInput(model, r.inputName, data.tensor.dtype);
    total = data.tensor.dims[0] ?? 1;
    tensor = r.size === undefined ? data.tensor : takeRows(data.tensor, sampleIndices(total, r.size, r.seed));
    tensor = matchIntegerType(tensor, input);
    what = files.length === 1 ? files[0]! : `${files.length} files in ${r.source}`;
  }
  const companions = companionInputs(model, input);
  const b = batchSamples(tensor, input, { batchSize: r.batchSize });
  const lines = [`calibration: ${b.samples} samples ${formatDims(tensor.dims.slice(1))} ${tensor.dtype} from ${what} -> input '${input.name}', ${b.batches.length} batches of ${b.batchSize}`];
  if (r.size !== undefined) {
    lines.push(r.size >= total ? `calibration: --calib-size ${r.size} asks for all ${total} samples there are` : `calibration: ${r.size} of ${total} samples drawn with seed ${r.seed}`);
  }
  if (companions.length) lines.push(`calibration: ${companions.map((c) => `'${c.input.name}' gets ${c.fill}`).join(', ')}`);
  if (b.dropped) lines.push(`calibration: ${b.dropped} trailing samples left out (the model fixes the batch dim to ${b.batchSize})`);
  return {
    feeds: feedsFor(b.batches, input, companions),
    batches: b.batches.length,
    samples: b.samples,
    lines,
    info: {
      files, input: input.name, samples: b.samples, dropped: b.dropped, batches: b.batches.length, batchSize: b.batchSize,
      ...(r.size !== undefined && { drawn: { size: r.size, of: total, seed: r.seed } }),
      ...(companions.length && { constantInputs: Object.fromEntries(companions.map((c) => [c.input.name, c.fill])) }),
    },
  };
}

/** A number short: `0.00392157` for 1/255, `0.5`, `1`. */
function formatNumber(v: number): string {
  return String(Number(v.toPrecision(6)));
}
