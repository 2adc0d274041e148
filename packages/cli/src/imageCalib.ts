/**
 * Calibration samples from image files: the plan (size, crop, channels, layout,
 * normalisation) from the image flags and, where they are absent, from the model input's
 * shape; then decoding and preprocessing each file into one float32 tensor.
 *
 * Example: for input `pixel_values` [N,3,224,224] and no flags, each image is resized
 * to 224x224, scaled by 1/255 and stacked as RGB planes into [files, 3, 224, 224].
 */
import { promises as fs } from 'node:fs';
import { QtkError, Tensor, checkTensorBytes, resolveMaxTensorBytes, type ValueInfo } from '@qtk/core';
import { formatDims } from '@qtk/core/internal';
import { decodeImage } from './imageDecode.js';
import {
  centerCrop, channelCount, resizeBilinear, resizeShorterSide, toFloatImage, writeNormalised,
  type ChannelOrder, type FloatImage, type Layout, type Normalisation,
} from './imageTransform.js';

/** Image flags as given (all optional). */
export interface ImageFlags {
  /** `[H, W]`: resize to exactly this; `[S]`: shorter side to S, then center crop. */
  resize?: number[];
  /** `[H, W]` or `[S]` (square) center crop after resizing. */
  crop?: number[];
  mean?: number[];
  std?: number[];
  scale?: number;
  layout?: Layout;
  channels?: ChannelOrder;
}

/** How every image is turned into one sample. */
export interface ImagePlan {
  /** Exact resize, shorter-side resize, or none (crop only). */
  resize?: { height: number; width: number } | { shorter: number };
  crop?: { height: number; width: number };
  /** Size of each sample. */
  height: number;
  width: number;
  norm: Normalisation;
}

/** Pixel scale used when --scale is absent: 8-bit values to 0..1. */
export const DEFAULT_PIXEL_SCALE = 1 / 255;

/** The input's image dims: layout (given or inferred), channels, height and width (null when symbolic). */
function imageDims(input: ValueInfo, layout?: Layout): { layout: Layout; c: number | null; h: number | null; w: number | null } {
  const t = input.type;
  const shape = t?.kind === 'tensor' ? t.shape : undefined;
  const desc = `model input '${input.name}' ${formatDims(shape)}`;
  if (!shape) return { layout: layout ?? 'nchw', c: null, h: null, w: null };
  if (shape.length !== 4) throw new QtkError('E_CALIB_DATA', `${desc} is not an image input: images need rank 4 ([N,C,H,W] or [N,H,W,C])`, { tensor: input.name });
  const num = (d: unknown) => (typeof d === 'number' ? d : null);
  const [, d1, d2, d3] = shape.map(num);
  const isChannels = (d: number | null) => d === 1 || d === 3;
  const chosen = layout ?? (isChannels(d1!) ? 'nchw' : isChannels(d3!) ? 'nhwc' : 'nchw');
  return chosen === 'nchw' ? { layout: chosen, c: d1!, h: d2!, w: d3! } : { layout: chosen, c: d3!, h: d1!, w: d2! };
}

/**
 * The image plan for `input` from `flags`: missing size, channels and layout are taken
 * from the input's shape. Throws E_OPTION naming the flag when they cannot be, or when
 * flags contradict the input.
 */
export function planImages(input: ValueInfo, flags: ImageFlags): ImagePlan {
  const dims = imageDims(input, flags.layout);
  const desc = `model input '${input.name}' ${formatDims(input.type?.kind === 'tensor' ? input.type.shape : undefined)}`;
  const channels = flags.channels ?? (dims.c === 1 ? 'gray' : 'rgb');
  const c = channelCount(channels);
  if (dims.c !== null && dims.c !== c) {
    throw new QtkError('E_OPTION', `--channels ${channels} gives ${c} channel${c > 1 ? 's' : ''}, but ${desc} takes ${dims.c} (layout ${dims.layout})`, { option: 'channels' });
  }
  const pair = (v: number[]) => ({ height: v[0]!, width: v[1] ?? v[0]! });
  const crop = flags.crop ? pair(flags.crop) : undefined;
  let resize: ImagePlan['resize'];
  if (flags.resize) resize = flags.resize.length === 1 ? { shorter: flags.resize[0]! } : pair(flags.resize);
  const model = dims.h !== null && dims.w !== null ? { height: dims.h, width: dims.w } : undefined;
  const size = crop ?? (resize && 'height' in resize ? resize : undefined) ?? model;
  if (!size) {
    throw new QtkError('E_OPTION', `${desc} does not fix the image size; give it with --resize H,W (or --resize S --crop H,W)`, { option: 'resize' });
  }
  if (!resize && !crop) resize = size;
  if (model && (model.height !== size.height || model.width !== size.width)) {
    const flag = crop ? 'crop' : 'resize';
    throw new QtkError('E_OPTION', `--${flag} gives ${size.height}x${size.width} images, but ${desc} takes ${model.height}x${model.width} (HxW)`, { option: flag });
  }
  for (const [name, v] of [['mean', flags.mean], ['std', flags.std]] as const) {
    if (v && v.length !== 1 && v.length !== c) {
      throw new QtkError('E_OPTION', `--${name} has ${v.length} values; give 1 or ${c} (one per channel, in --channels ${channels} order)`, { option: name });
    }
  }
  if (flags.std?.some((s) => s === 0)) throw new QtkError('E_OPTION', '--std values must not be 0', { option: 'std' });
  if (flags.scale === 0) throw new QtkError('E_OPTION', '--scale must not be 0', { option: 'scale' });
  const norm: Normalisation = { channels, layout: dims.layout, scale: flags.scale ?? DEFAULT_PIXEL_SCALE, mean: flags.mean ?? [0], std: flags.std ?? [1] };
  return { ...(resize && { resize }), ...(crop && { crop }), height: size.height, width: size.width, norm };
}

/** One decoded image resized and cropped by `plan` (not yet normalised). */
export function prepareImage(img: FloatImage, plan: ImagePlan, file: string): FloatImage {
  let out = img;
  if (plan.resize) out = 'shorter' in plan.resize ? resizeShorterSide(out, plan.resize.shorter) : resizeBilinear(out, plan.resize.height, plan.resize.width);
  return centerCrop(out, plan.height, plan.width, file);
}

/** The dims of a tensor of `n` samples laid out by `plan`. */
export function sampleDims(plan: ImagePlan, n: number): number[] {
  const c = channelCount(plan.norm.channels);
  return plan.norm.layout === 'nchw' ? [n, c, plan.height, plan.width] : [n, plan.height, plan.width, c];
}

/**
 * Reads, decodes and preprocesses `files` (in order) into one float32 tensor of samples;
 * an image over the memory budget `maxTensorBytes` is refused before decoding.
 */
export async function loadImages(files: readonly string[], plan: ImagePlan, maxTensorBytes?: number): Promise<Tensor> {
  const dims = sampleDims(plan, files.length);
  const per = dims.slice(1).reduce((a, b) => a * b, 1);
  checkTensorBytes(per * files.length * 4, resolveMaxTensorBytes(maxTensorBytes), `calibration images as float32 ${formatDims(dims)}`);
  const out = new Float32Array(per * files.length);
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(file);
    } catch (e) {
      throw new QtkError('E_IO', `cannot read image '${file}': ${(e as Error).message}`, { file }, { cause: e });
    }
    const img = prepareImage(toFloatImage(decodeImage(bytes, file, maxTensorBytes)), plan, file);
    writeNormalised(img, plan.norm, out, i * per);
  }
  return Tensor.fromFloat32(out, dims);
}
