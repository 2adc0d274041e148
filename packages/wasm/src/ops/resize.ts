/**
 * Resize (opset 10+) and Upsample: nearest, linear and cubic interpolation along every axis,
 * with the ONNX coordinate transformation modes, in JS (separable per-axis weights). Integer
 * inputs (8-bit tensors between QOperator nodes) take mode 'nearest' only.
 */
import type { NodeCtx } from '../engine/context.js';
import { rowMajorStrides } from './broadcast.js';
import { define, type OpDef } from './registry.js';

/** Source indices and weights of one output coordinate along one axis; `outside` marks extrapolation. */
interface Taps { idx: number[]; w: number[]; outside: boolean }

function nearestWeights(r: number, mode: string): [number, number] {
  if (r === 1) return [0, 1];
  switch (mode) {
    case 'round_prefer_floor': return r <= 0.5 ? [1, 0] : [0, 1];
    case 'round_prefer_ceil': return r < 0.5 ? [1, 0] : [0, 1];
    case 'floor': return [1, 0];
    default: return [0, 1];
  }
}

function cubicWeights(r: number, A: number): number[] {
  const c = (t: number) => ((A * (t + 1) - 5 * A) * (t + 1) + 8 * A) * (t + 1) - 4 * A;
  const d = (t: number) => ((A + 2) * t - (A + 3)) * t * t + 1;
  return [c(r), d(r), d(1 - r), c(1 - r)];
}

function axisTaps(ctx: NodeCtx, inLen: number, outLen: number, scale: number, roi: [number, number], o: {
  mode: string; ctm: string; nearest: string; A: number; exclude: boolean;
}): Taps[] {
  const taps: Taps[] = [];
  // align_corners and tf_crop_and_resize measure the output extent as scale * input (not rounded)
  const outF = scale * inLen;
  for (let x = 0; x < outLen; x++) {
    let xo: number;
    switch (o.ctm) {
      case 'half_pixel': xo = (x + 0.5) / scale - 0.5; break;
      case 'pytorch_half_pixel': xo = outLen > 1 ? (x + 0.5) / scale - 0.5 : 0; break;
      case 'align_corners': xo = outF === 1 ? 0 : (x * (inLen - 1)) / (outF - 1); break;
      case 'asymmetric': xo = x / scale; break;
      case 'tf_half_pixel_for_nn': xo = (x + 0.5) / scale; break;
      case 'tf_crop_and_resize':
        xo = outF > 1 ? roi[0] * (inLen - 1) + (x * (roi[1] - roi[0]) * (inLen - 1)) / (outF - 1) : 0.5 * (roi[0] + roi[1]) * (inLen - 1);
        break;
      default: throw ctx.unsupported(`coordinate_transformation_mode='${o.ctm}'`);
    }
    const outside = o.ctm === 'tf_crop_and_resize' && (xo < 0 || xo > inLen - 1);
    const x0 = Math.ceil(xo) - 1;
    const r = xo - x0;
    let idx: number[], w: number[];
    if (o.mode === 'nearest') { idx = [x0, x0 + 1]; w = nearestWeights(r, o.nearest); }
    else if (o.mode === 'linear') { idx = [x0, x0 + 1]; w = [1 - r, r]; }
    else { idx = [x0 - 1, x0, x0 + 1, x0 + 2]; w = cubicWeights(r, o.A); }
    if (o.exclude) {
      w = w.map((v, i) => (idx[i]! < 0 || idx[i]! >= inLen ? 0 : v));
      const s = w.reduce((a, b) => a + b, 0);
      if (s !== 0) w = w.map((v) => v / s);
    }
    taps.push({ idx: idx.map((i) => Math.min(Math.max(i, 0), inLen - 1)), w, outside });
  }
  return taps;
}

function planResize(ctx: NodeCtx): void {
  const x = ctx.in(0);
  if (x.dtype !== 'float32' && x.dtype !== 'uint8' && x.dtype !== 'int8' && x.dtype !== 'int32') throw ctx.unsupported(`input type ${x.dtype}`);
  if (ctx.int('antialias', 0) !== 0) throw ctx.unsupported('antialias=1');
  if (ctx.has('axes')) throw ctx.unsupported('the axes attribute');
  if (ctx.str('keep_aspect_ratio_policy', 'stretch') !== 'stretch') throw ctx.unsupported('keep_aspect_ratio_policy');
  const upsample = ctx.node.opType === 'Upsample';
  const r = x.dims.length;
  let scales: number[] | undefined, sizes: number[] | undefined, roi: number[] | undefined;
  if (upsample || ctx.opset < 11) {
    scales = upsample && ctx.opset < 9 ? ctx.node.attributes.find((a) => a.name === 'scales')?.value.kind === 'floats' ? (ctx.node.attributes.find((a) => a.name === 'scales')!.value as { value: number[] }).value : undefined : ctx.constIn(1, 'scales').nums();
  } else {
    const ro = ctx.opt(1), sc = ctx.opt(2), sz = ctx.opt(3);
    if (ro) roi = ctx.needConst(ro, 'roi').nums();
    if (sc && sc.size > 0) scales = ctx.needConst(sc, 'scales').nums();
    if (sz && sz.size > 0) sizes = ctx.needConst(sz, 'sizes').nums();
  }
  if (!scales && !sizes) throw ctx.unsupported('neither scales nor sizes');
  const outDims = sizes ? [...sizes] : x.dims.map((d, i) => Math.floor(d * scales![i]!));
  const sc = sizes ? outDims.map((o, i) => o / x.dims[i]!) : scales!;
  if (outDims.length !== r) throw ctx.shapeError(`scales/sizes of length ${outDims.length} for rank ${r}`);
  let mode = ctx.str('mode', 'nearest');
  if (mode === 'bilinear') mode = 'linear';
  if (!['nearest', 'linear', 'cubic'].includes(mode)) throw ctx.unsupported(`mode='${mode}'`);
  // integer tensors (8-bit between QOperator nodes) are only copied, never interpolated
  if (x.dtype !== 'float32' && mode !== 'nearest') throw ctx.unsupported(`mode='${mode}' on ${x.dtype} input (nearest only)`);
  const o = {
    mode,
    ctm: upsample || ctx.opset < 11 ? 'asymmetric' : ctx.str('coordinate_transformation_mode', 'half_pixel'),
    nearest: upsample || ctx.opset < 11 ? 'floor' : ctx.str('nearest_mode', 'round_prefer_floor'),
    A: ctx.float('cubic_coeff_a', -0.75),
    exclude: ctx.int('exclude_outside', 0) === 1,
  };
  const extrapolation = ctx.float('extrapolation_value', 0);
  const taps = x.dims.map((d, i) => axisTaps(ctx, d, outDims[i]!, sc[i]!, [roi?.[i] ?? 0, roi?.[i + r] ?? 1], o));
  const inStr = rowMajorStrides(x.dims);
  ctx.js([{ dtype: x.dtype, dims: outDims }], ([a], [out]) => {
    const src = a as Float32Array, dst = out as Float32Array;
    const coord = new Array<number>(r).fill(0);
    for (let i = 0; i < dst.length; i++) {
      let rem = i;
      for (let d = r - 1; d >= 0; d--) { coord[d] = rem % outDims[d]!; rem = Math.floor(rem / outDims[d]!); }
      const t = coord.map((c, d) => taps[d]![c]!);
      if (t.some((q) => q.outside)) { dst[i] = extrapolation; continue; }
      // sum over the tensor product of the per-axis taps
      let acc = 0;
      const visit = (d: number, off: number, wgt: number) => {
        if (wgt === 0) return;
        if (d === r) { acc += wgt * src[off]!; return; }
        const q = t[d]!;
        for (let k = 0; k < q.idx.length; k++) visit(d + 1, off + q.idx[k]! * inStr[d]!, wgt * q.w[k]!);
      };
      visit(0, 0, 1);
      dst[i] = acc;
    }
  });
}

/** Registers Resize and Upsample. */
export function registerResize(t: Map<string, OpDef>): void {
  define(t, ['Resize', 'Upsample'], { plan: planResize });
}
