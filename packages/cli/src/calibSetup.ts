/**
 * Calibration batches for `qtk quantize`: reads images or tensors from `--calib`,
 * chooses the input they feed (or, for per-input data, matches each array to the input
 * it names), samples `--calib-size` of them with `--seed` (the same rows of every input),
 * batches them by `--batch-size` and adds constant feeds for mask and segment-id inputs.
 *
 * Example: `--calib imgs/ --calib-size 100` over 1,000 PNGs decodes 100 of them (the same
 * 100 on every run) into [100,3,224,224] and batches of 32, 32, 32 and 4.
 */
import { QtkError, batchInputs, chooseBatchSize, sharedSampleCount, type Feeds, type InputSamples, type Model, type Tensor, type ValueInfo } from '@qtk/core';
import { formatDims } from '@qtk/core/internal';
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
  /** `--memory-budget`: largest .npy array or decoded image read (default core's `DEFAULT_MAX_TENSOR_BYTES`). */
  maxTensorBytes?: number;
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
  /** Warnings (without the `warning: ` prefix): a batch size given that takes far more memory than the default. */
  warnings: string[];
  /** For the JSON report. */
  info: Record<string, unknown>;
}

/** Reads, samples and batches the calibration data for `model`. */
export async function setupCalibration(model: Model, r: CalibRequest): Promise<CalibSetup> {
  const perInput = await loadInputArrays(r.sources, feedInputs(model).map((v) => v.name), r.maxTensorBytes);
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
    tensor = await loadImages(files, plan, r.maxTensorBytes);
    const n = plan.norm;
    what = `${files.length === 1 ? files[0] : `${files.length} images in ${source}`} (${n.channels} ${n.layout}, ${plan.height}x${plan.width}, scale ${formatNumber(n.scale)}, mean ${n.mean.map(formatNumber).join(',')}, std ${n.std.map(formatNumber).join(',')})`;
  } else {
    refuseImageFlags(r, `'${source}'`);
    const data = await loadCalibData(source, { shape: r.shape, maxTensorBytes: r.maxTensorBytes });
    files = data.files;
    input = pickInput(model, r.inputName, data.tensor.dtype);
    total = data.tensor.dims[0] ?? 1;
    tensor = r.size === undefined ? data.tensor : takeRows(data.tensor, sampleIndices(total, r.size, r.seed));
    tensor = matchIntegerType(tensor, input);
    what = files.length === 1 ? files[0]! : `${files.length} files in ${source}`;
  }
  const companions = companionInputs(model, [input]);
  const sample = `${formatDims(tensor.dims.slice(1))} ${tensor.dtype} from ${what} -> input '${input.name}'`;
  return finishSetup(model, [{ input, data: tensor }], companions, r, total, (n, batches) => `calibration: ${n} samples ${sample}, ${batches}`, { files, input: input.name });
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
  const each = fed.map((f) => `'${f.input.name}' <- ${arrayFor(f.input.name).from} ${formatDims(f.data.dims.slice(1))} ${f.data.dtype}`);
  const head = (n: number, batches: string) => `calibration: ${n} samples from ${data.what} -> inputs ${each.join(', ')}; ${batches}`;
  return finishSetup(model, fed, companions, r, total, head, { files: data.files, inputs: Object.fromEntries(fed.map((f) => [f.input.name, arrayFor(f.input.name).from])) });
}

/**
 * The setup from the samples of each input: some held back for the quality check (the
 * same rows of every input), the batch size chosen from memory unless given, batches
 * with companion fills, summary lines from `head(samples, 'N batches of B (why)')`, and
 * the report's info after `info`.
 */
function finishSetup(
  model: Model, fed: readonly InputSamples[], companions: readonly Companion[], r: CalibRequest, total: number,
  head: (samples: number, batches: string) => string, info: Record<string, unknown>,
): CalibSetup {
  const split = splitHoldout(fed, r.holdout);
  // Data that is split is checked whole, so that errors name the data as given, not the part left after the holdout.
  if (split.held) batchInputs(fed, { batchSize: r.batchSize });
  const fixed = fed.some((f) => fixedBatch(f.input));
  const dims = (v: ValueInfo) => (fed.find((f) => f.input === v) ?? fed[0]!).data.dims.slice(1);
  const sized = fixed ? undefined : chooseBatchSize(model, Object.fromEntries([...fed.map((f) => f.input), ...companions.map((c) => c.input)].map((v) => [v.name, dims(v)])));
  const auto = r.batchSize === undefined ? sized : undefined;
  const b = batchInputs(split.calib, { batchSize: r.batchSize ?? auto?.batchSize });
  const warnings: string[] = [];
  const runBytes = sized?.bytesPerSample !== undefined ? sized.bytesPerSample * b.batchSize : undefined;
  if (r.batchSize !== undefined && sized && runBytes !== undefined && runBytes > sized.budgetBytes) {
    warnings.push(`--batch-size ${r.batchSize} makes about ${mib(runBytes)} of activations per run, over the ${mib(sized.budgetBytes)} that the default batch size keeps to; memory grows with it, quality does not (leave --batch-size out for ${sized.batchSize})`);
  }
  const held = split.held ? batchInputs(split.held, { batchSize: b.batchSize }) : undefined;
  const lines = [head(b.samples, `${b.batches.length} batches of ${b.batchSize}${auto ? ` (${batchSizeReason(auto)})` : ''}`)];
  if (held) lines.push(`calibration: ${held.samples} samples held back to check quality on (--holdout N to change)`);
  if (r.size !== undefined) {
    lines.push(r.size >= total ? `calibration: --calib-size ${r.size} asks for all ${total} samples there are` : `calibration: ${r.size} of ${total} samples drawn with seed ${r.seed}`);
  }
  if (companions.length) lines.push(`calibration: ${companions.map((c) => `'${c.input.name}' gets ${c.fill}`).join(', ')}`);
  if (b.dropped) lines.push(`calibration: ${b.dropped} trailing samples left out (the model fixes the batch dim to ${b.batchSize})`);
  return {
    feeds: feedsFor(b.batches, companions),
    batches: b.batches.length,
    samples: b.samples,
    holdout: held ? feedsFor(held.batches, companions) : [],
    holdoutSamples: held?.samples ?? 0,
    lines,
    warnings,
    info: {
      ...info, samples: b.samples, dropped: b.dropped, batches: b.batches.length, batchSize: b.batchSize,
      ...(auto && { batchSizeChosen: { budgetBytes: auto.budgetBytes, bytesPerSample: auto.bytesPerSample ?? null } }),
      ...(held && { heldBack: held.samples }),
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

/** True when the input's batch dim is a fixed number (the batch size is then the model's). */
function fixedBatch(input: ValueInfo): boolean {
  return input.type?.kind === 'tensor' && typeof input.type.shape?.[0] === 'number';
}

/** Bytes as MiB: `202.6 MiB`, `0.021 MiB`. */
const mib = (b: number) => `${(b / 2 ** 20).toFixed(b < 2 ** 20 ? 3 : 1)} MiB`;

/** `chosen for a 256.0 MiB activation budget at 202.6 MiB per sample; --batch-size N to change` */
function batchSizeReason(c: ReturnType<typeof chooseBatchSize>): string {
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
 * Splits each input's samples into calibration rows and held-back rows (the same rows of
 * every input), the held-back ones evenly spread over the data so that sorted data still
 * gives a representative check.
 */
export function splitHoldout(fed: readonly InputSamples[], holdout: number | 'auto' | undefined): { calib: InputSamples[]; held?: InputSamples[] } {
  const n = fed[0]?.data.dims[0] ?? 1;
  const h = holdoutCount(n, holdout);
  if (!h) return { calib: [...fed] };
  const heldRows = new Set(Array.from({ length: h }, (_, j) => Math.floor(((j + 0.5) * n) / h)));
  const calibRows = Array.from({ length: n }, (_, i) => i).filter((i) => !heldRows.has(i));
  return {
    calib: fed.map((f) => ({ input: f.input, data: takeRows(f.data, calibRows) })),
    held: fed.map((f) => ({ input: f.input, data: takeRows(f.data, [...heldRows]) })),
  };
}

/** A number short: `0.00392157` for 1/255, `0.5`, `1`. */
function formatNumber(v: number): string {
  return String(Number(v.toPrecision(6)));
}
