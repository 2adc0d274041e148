/** ConvTranspose (1-D and 2-D, groups, dilations, pads, output_padding, output_shape, auto_pad), direct, in JS. */
import type { NodeCtx } from '../engine/context.js';
import { define, type OpDef } from './registry.js';

function planConvTranspose(ctx: NodeCtx): void {
  const x = ctx.in(0), w = ctx.in(1), b = ctx.opt(2);
  if (x.dtype !== 'float32' || w.dtype !== 'float32') throw ctx.unsupported(`types ${x.dtype} x ${w.dtype} (float32 only)`);
  const rank = x.dims.length - 2;
  if (rank < 1 || rank > 2) throw ctx.unsupported(`${rank}-D spatial input (1-D and 2-D only)`);
  const group = ctx.int('group', 1);
  const [N, C] = [x.dims[0]!, x.dims[1]!];
  const Cg = C / group, Mg = w.dims[1]!, M = Mg * group;
  if (w.dims[0] !== C || !Number.isInteger(Cg)) throw ctx.shapeError(`weight [${w.dims.join(',')}] does not match input [${x.dims.join(',')}] and group ${group}`);
  const lift = (v: number[] | undefined, fill: number) => { const a = v ?? new Array(rank).fill(fill); return rank === 1 ? [fill, a[0]!] : a; };
  const inS = rank === 1 ? [1, x.dims[2]!] : [x.dims[2]!, x.dims[3]!];
  const k = rank === 1 ? [1, w.dims[2]!] : [w.dims[2]!, w.dims[3]!];
  const s = lift(ctx.ints('strides'), 1), d = lift(ctx.ints('dilations'), 1), op = lift(ctx.ints('output_padding'), 0);
  const p0 = ctx.ints('pads') ?? new Array(rank * 2).fill(0);
  const pads = rank === 1 ? [0, p0[0]!, 0, p0[1]!] : p0;
  const autoPad = ctx.str('auto_pad', 'NOTSET');
  const outShape = ctx.ints('output_shape');
  const out: number[] = [], pb: number[] = [], pe: number[] = [];
  for (let i = 0; i < 2; i++) {
    const full = s[i]! * (inS[i]! - 1) + op[i]! + (k[i]! - 1) * d[i]! + 1;
    const target = outShape ? (rank === 1 ? [1, outShape[0]!] : outShape)[i] : autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER' ? inS[i]! * s[i]! : undefined;
    if (target !== undefined) {
      const total = full - target;
      const half = Math.floor(total / 2);
      if (autoPad === 'SAME_UPPER') { pb.push(half); pe.push(total - half); } else { pb.push(total - half); pe.push(half); }
      out.push(target);
    } else {
      if (autoPad !== 'NOTSET' && autoPad !== 'VALID') throw ctx.unsupported(`auto_pad='${autoPad}'`);
      const [a, e] = autoPad === 'VALID' ? [0, 0] : [pads[i]!, pads[i + 2]!];
      pb.push(a); pe.push(e);
      out.push(full - a - e);
    }
  }
  const [OH, OW] = out as [number, number];
  const dims = rank === 1 ? [N, M, OW] : [N, M, OH, OW];
  const [H, W] = inS as [number, number];
  ctx.js([{ dtype: 'float32', dims }], (ins, [o]) => {
    const xs = ins[0] as Float32Array, ws = ins[1] as Float32Array, bs = ins[2] as Float32Array | undefined;
    const y = o as Float32Array;
    for (let n = 0; n < N; n++) for (let m = 0; m < M; m++) {
      const base = (n * M + m) * OH * OW;
      y.fill(bs ? bs[m]! : 0, base, base + OH * OW);
    }
    for (let n = 0; n < N; n++) for (let g = 0; g < group; g++) for (let c = 0; c < Cg; c++) {
      const ci = g * Cg + c;
      for (let ih = 0; ih < H; ih++) for (let iw = 0; iw < W; iw++) {
        const xv = xs[((n * C + ci) * H + ih) * W + iw]!;
        for (let m = 0; m < Mg; m++) {
          const mo = g * Mg + m;
          for (let ky = 0; ky < k[0]!; ky++) {
            const oh = ih * s[0]! - pb[0]! + ky * d[0]!;
            if (oh < 0 || oh >= OH) continue;
            for (let kx = 0; kx < k[1]!; kx++) {
              const ow = iw * s[1]! - pb[1]! + kx * d[1]!;
              if (ow < 0 || ow >= OW) continue;
              y[((n * M + mo) * OH + oh) * OW + ow]! += xv * ws[((ci * Mg + m) * k[0]! + ky) * k[1]! + kx]!;
            }
          }
        }
      }
    }
  });
}

/** Registers ConvTranspose. */
export function registerConvTranspose(t: Map<string, OpDef>): void {
  define(t, ['ConvTranspose'], { plan: planConvTranspose });
}
