/**
 * Calibration batches for `qtk quantize`: reads images or tensors from `--calib`,
 * chooses the input they feed, samples `--calib-size` of them with `--seed`, batches
 * them by `--batch-size` and adds constant feeds for mask and segment-id inputs.
 *
 * Example: `--calib imgs/ --calib-size 100` over 1,000 PNGs decodes 100 of them (the same
 * 100 on every run) into [100,3,224,224] and batches of 32, 32, 32 and 4.
 */
import { QtkError, batchSamples, chooseBatchSize, formatDims, type Feeds, type Model, type Tensor, type ValueInfo } from '@qtk/core';
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
  /**
   * Samples held back from calibration to check quality on: a count, or 'auto' (about a
   * tenth, at most 16, when there are 20 samples or more; none below). Absent: none.
   */
  holdout?: number | 'auto';
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
  /** Batches of the held-back samples (empty when none were held back). */
  holdout: Feeds[];
  /** Samples held back. */
  holdoutSamples: number;
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
  const split = splitHoldout(tensor, r.holdout);
  tensor = split.calib;
  const auto = r.batchSize === undefined && !fixedBatch(input) ? chooseBatchSize(model, Object.fromEntries([input, ...companions.map((c) => c.input)].map((v) => [v.name, tensor.dims.slice(1)]))) : undefined;
  const b = batchSamples(tensor, input, { batchSize: r.batchSize ?? auto?.batchSize });
  const lines = [`calibration: ${b.samples} samples ${formatDims(tensor.dims.slice(1))} ${tensor.dtype} from ${what} -> input '${input.name}', ${b.batches.length} batches of ${b.batchSize}${auto ? ` (${batchSizeReason(auto)})` : ''}`];
  const held = split.held ? batchSamples(split.held, input, { batchSize: b.batchSize }) : undefined;
  if (held) lines.push(`calibration: ${held.samples} samples held back to check quality on (--holdout N to change)`);
  if (r.size !== undefined) {
    lines.push(r.size >= total ? `calibration: --calib-size ${r.size} asks for all ${total} samples there are` : `calibration: ${r.size} of ${total} samples drawn with seed ${r.seed}`);
  }
  if (companions.length) lines.push(`calibration: ${companions.map((c) => `'${c.input.name}' gets ${c.fill}`).join(', ')}`);
  if (b.dropped) lines.push(`calibration: ${b.dropped} trailing samples left out (the model fixes the batch dim to ${b.batchSize})`);
  return {
    feeds: feedsFor(b.batches, input, companions),
    batches: b.batches.length,
    samples: b.samples,
    holdout: held ? feedsFor(held.batches, input, companions) : [],
    holdoutSamples: held?.samples ?? 0,
    lines,
    info: {
      files, input: input.name, samples: b.samples, dropped: b.dropped, batches: b.batches.length, batchSize: b.batchSize,
      ...(auto && { batchSizeChosen: { budgetBytes: auto.budgetBytes, bytesPerSample: auto.bytesPerSample ?? null } }),
      ...(held && { heldBack: held.samples }),
      ...(r.size !== undefined && { drawn: { size: r.size, of: total, seed: r.seed } }),
      ...(companions.length && { constantInputs: Object.fromEntries(companions.map((c) => [c.input.name, c.fill])) }),
    },
  };
}

/** True when the input's batch dim is a fixed number (the batch size is then the model's). */
function fixedBatch(input: ValueInfo): boolean {
  return input.type?.kind === 'tensor' && typeof input.type.shape?.[0] === 'number';
}

/** `chosen for a 256 MiB activation budget: 202.5 MiB per sample` */
function batchSizeReason(c: ReturnType<typeof chooseBatchSize>): string {
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(b < 2 ** 20 ? 3 : 1)} MiB`;
  return c.bytesPerSample === undefined
    ? 'the model\'s activation size is unknown, so one sample per run; --batch-size N to change'
    : `chosen for a ${mib(c.budgetBytes)} activation budget at ${mib(c.bytesPerSample)} per sample; --batch-size N to change`;
}

/** Held-back samples for `holdout`: about a tenth (2 to 16) of 20 or more samples, else none. */
export function holdoutCount(samples: number, holdout: number | 'auto' | undefined): number {
  if (holdout === undefined) return 0;
  if (holdout === 'auto') return samples < 20 ? 0 : Math.min(16, Math.max(2, Math.round(samples / 10)));
  if (holdout >= samples) {
    throw new QtkError('E_OPTION', `--holdout ${holdout} leaves no calibration samples: there are ${samples}`, { option: 'holdout' });
  }
  return holdout;
}

/**
 * Splits the samples of `t` into calibration rows and held-back rows, the held-back ones
 * evenly spread over the data (so sorted data still gives a representative check).
 */
export function splitHoldout(t: Tensor, holdout: number | 'auto' | undefined): { calib: Tensor; held?: Tensor } {
  const n = t.dims[0] ?? 1;
  const h = holdoutCount(n, holdout);
  if (!h) return { calib: t };
  const heldRows = new Set(Array.from({ length: h }, (_, j) => Math.floor(((j + 0.5) * n) / h)));
  const all = Array.from({ length: n }, (_, i) => i);
  return { calib: takeRows(t, all.filter((i) => !heldRows.has(i))), held: takeRows(t, [...heldRows]) };
}

/** A number short: `0.00392157` for 1/255, `0.5`, `1`. */
function formatNumber(v: number): string {
  return String(Number(v.toPrecision(6)));
}
