/** Geometry of 2-D windows (Conv, pooling): kernel, strides, dilations, pads, output size. */
import type { NodeCtx } from '../engine/context.js';
import { windowParamsBlock, type WindowParams } from '../windowParams.js';

/** A resolved 2-D window over an H x W input. */
export interface Window2d {
  kh: number; kw: number; sh: number; sw: number; dh: number; dw: number;
  pt: number; pl: number; pb: number; pr: number;
  H: number; W: number; OH: number; OW: number;
}

/** Batch, channels and the group split of a Conv over input [N, C, ...] with weight [M, C/group, ...]. */
export interface ConvGroups {
  group: number; N: number; C: number; M: number;
  /** Input and output channels per group. */
  Cg: number; Mg: number;
}

/** The `group` attribute of a Conv checked against its input and weight dims; E_SHAPE naming the node when they do not match. */
export function convGroups(ctx: NodeCtx, xDims: readonly number[], wDims: readonly number[]): ConvGroups {
  const group = ctx.int('group', 1);
  const N = xDims[0]!, C = xDims[1]!, M = wDims[0]!;
  const Cg = C / group, Mg = M / group;
  if (!Number.isInteger(Cg) || !Number.isInteger(Mg) || wDims[1] !== Cg) {
    throw ctx.shapeError(`input [${xDims.join(',')}], weight [${wDims.join(',')}] and group ${group} do not match`);
  }
  return { group, N, C, M, Cg, Mg };
}

/** The window of a pooling node over input [N, C, H(, W)] and its N x C planes. */
export interface PoolWindow {
  g: Window2d;
  C: number;
  planes: number;
}

/** Resolves a pooling node's window from its required `kernel_shape` (E_UNSUPPORTED naming the node when missing). */
export function poolWindow(ctx: NodeCtx, xDims: readonly number[]): PoolWindow {
  const ks = ctx.ints('kernel_shape');
  if (!ks) throw ctx.unsupported('missing kernel_shape');
  const C = xDims[1]!;
  return { g: window2d(ctx, xDims, ks), C, planes: xDims[0]! * C };
}

/**
 * Resolves the window of a node over input dims [N, C, H(, W)] (1-D inputs are treated as
 * H = 1); auto_pad SAME_UPPER/SAME_LOWER/VALID and ceil_mode are honoured.
 */
export function window2d(ctx: NodeCtx, xDims: readonly number[], kernel: readonly number[]): Window2d {
  const rank = xDims.length - 2;
  if (rank < 1 || rank > 2) throw ctx.unsupported(`${rank}-D spatial input (1-D and 2-D only)`);
  const sp = rank === 1 ? [1, xDims[2]!] : [xDims[2]!, xDims[3]!];
  const k = rank === 1 ? [1, kernel[0]!] : [kernel[0]!, kernel[1]!];
  const strides = ctx.ints('strides') ?? new Array(rank).fill(1);
  const dil = ctx.ints('dilations') ?? new Array(rank).fill(1);
  const s = rank === 1 ? [1, strides[0]!] : strides;
  const d = rank === 1 ? [1, dil[0]!] : dil;
  let pads = ctx.ints('pads') ?? new Array(rank * 2).fill(0);
  if (rank === 1) pads = [0, pads[0]!, 0, pads[1]!];
  const autoPad = ctx.str('auto_pad', 'NOTSET');
  const ceil = ctx.int('ceil_mode', 0) === 1;
  const out: number[] = [];
  const pb: number[] = [pads[0]!, pads[1]!], pe: number[] = [pads[2]!, pads[3]!];
  for (let i = 0; i < 2; i++) {
    const ext = (k[i]! - 1) * d[i]! + 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      const o = Math.ceil(sp[i]! / s[i]!);
      const total = Math.max(0, (o - 1) * s[i]! + ext - sp[i]!);
      const small = Math.floor(total / 2);
      pb[i] = autoPad === 'SAME_UPPER' ? small : total - small;
      pe[i] = total - pb[i]!;
      out.push(o);
    } else if (autoPad === 'VALID') {
      pb[i] = 0; pe[i] = 0;
      out.push(Math.floor((sp[i]! - ext) / s[i]!) + 1);
    } else if (autoPad === 'NOTSET') {
      const span = sp[i]! + pb[i]! + pe[i]! - ext;
      let o = (ceil ? Math.ceil(span / s[i]!) : Math.floor(span / s[i]!)) + 1;
      if (ceil && (o - 1) * s[i]! >= sp[i]! + pb[i]!) o--;
      out.push(o);
    } else throw ctx.unsupported(`auto_pad='${autoPad}'`);
  }
  if (out[0]! <= 0 || out[1]! <= 0) throw ctx.shapeError(`window larger than the padded input [${xDims.join(',')}]`);
  return {
    kh: k[0]!, kw: k[1]!, sh: s[0]!, sw: s[1]!, dh: d[0]!, dw: d[1]!,
    pt: pb[0]!, pl: pb[1]!, pb: pe[0]!, pr: pe[1]!, H: sp[0]!, W: sp[1]!, OH: out[0]!, OW: out[1]!,
  };
}

/** Output dims [N, C, OH(, OW)] of a window over `xDims` with `channels` outputs. */
export function windowOutDims(xDims: readonly number[], channels: number, w: Window2d): number[] {
  return xDims.length === 3 ? [xDims[0]!, channels, w.OW] : [xDims[0]!, channels, w.OH, w.OW];
}

/** Target bytes of one im2col chunk: small enough to stay in a core's L2 cache. */
const CHUNK_BYTES = 256 * 1024;

/** Packed columns up to this size are not chunked (chunks re-read the whole weight matrix). */
const NO_CHUNK_BYTES = 1024 * 1024;

/** Fewest columns per chunk, so the weights streamed once per chunk are amortized. */
const MIN_CHUNK = 128;

/** Most output columns of one im2col call (the INT8 kernel's panel table holds 256 panels). */
const MAX_CHUNK = 2048;

/** Output columns per im2col chunk (a multiple of 8) for `bytesPerColumn`. */
export function chunkColumns(bytesPerColumn: number, columns: number): number {
  const all = Math.ceil(columns / 8) * 8;
  if (all * bytesPerColumn <= NO_CHUNK_BYTES) return Math.min(all, MAX_CHUNK);
  const c = Math.max(MIN_CHUNK, Math.floor(CHUNK_BYTES / bytesPerColumn / 8) * 8);
  return Math.min(c, all, MAX_CHUNK);
}

/**
 * Kernel-memory address of the window params block of `p` (see windowParams.ts), written
 * once per session, node and geometry at plan time, so kernel calls allocate nothing.
 */
export function windowParamsPtr(ctx: NodeCtx, p: WindowParams): number {
  const block = windowParamsBlock(p);
  return ctx.cached(`win:${block.join(',')}`, () => ctx.state.heap.put(block));
}
