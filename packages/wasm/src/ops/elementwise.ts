/**
 * Elementwise ops: binary arithmetic with broadcasting (float32 in the kernels, integer
 * types in JS) and unary activations (float32).
 */
import { BinaryOp, UnaryOp } from '../kernels.js';
import type { NodeCtx } from '../engine/context.js';
import { broadcastDims, broadcastStrides, collapse } from './broadcast.js';
import { define, type OpDef } from './registry.js';
import { planVariadicOp } from './misc.js';
import { bcastIndex, rd, wr } from './elementAccess.js';

const BIN: Record<string, number> = { Add: BinaryOp.Add, Sub: BinaryOp.Sub, Mul: BinaryOp.Mul, Div: BinaryOp.Div, Max: BinaryOp.Max, Min: BinaryOp.Min, Pow: BinaryOp.Pow, Sum: BinaryOp.Add };

function binScalar(op: string, isFloat: boolean, x: number, y: number): number {
  switch (op) {
    case 'Add': case 'Sum': return x + y;
    case 'Sub': return x - y;
    case 'Mul': return x * y;
    case 'Div': return isFloat ? x / y : y === 0 ? 0 : Math.trunc(x / y);
    case 'Max': return Math.max(x, y);
    case 'Min': return Math.min(x, y);
    default: return Math.pow(x, y);
  }
}

function planBinary(ctx: NodeCtx): void {
  const op = ctx.node.opType;
  if (ctx.node.inputs.length !== 2) {
    if (['Sum', 'Max', 'Min'].includes(op) && ctx.node.inputs.length >= 1) { planVariadicOp(ctx); return; }
    throw ctx.unsupported(`${ctx.node.inputs.length} inputs`);
  }
  const a = ctx.in(0), b = ctx.in(1);
  if (a.dtype !== b.dtype && op !== 'Pow') throw ctx.unsupported(`mixed input types ${a.dtype} and ${b.dtype}`);
  const dims = broadcastDims(a.dims, b.dims, ctx.node.name);
  const sa = broadcastStrides(a.dims, dims), sb = broadcastStrides(b.dims, dims);
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || (a.isConst && b.isConst)) {
    // Pow's exponent may have another type; the result has the base's type
    const isFloat = a.dtype === 'float32';
    ctx.js([{ dtype: a.dtype, dims }], ([x, y], [o]) => {
      const n = o!.length;
      for (let i = 0; i < n; i++) wr(o!, i, binScalar(op, isFloat, rd(x!, bcastIndex(i, dims, sa)), rd(y!, bcastIndex(i, dims, sb))));
    });
    return;
  }
  const c = collapse(dims, sa, sb);
  const meta = new Int32Array([...c.dims, ...c.sa, ...c.sb]);
  const metaPtr = ctx.cached(`bin:${dims.join(',')}:${a.dims.join(',')}:${b.dims.join(',')}`, () => ctx.state.heap.put(meta));
  const pa = a.isConst ? ctx.constPtr(a) : -1, pb = b.isConst ? ctx.constPtr(b) : -1;
  const y = ctx.out(0, 'float32', dims);
  const code = BIN[op]!;
  ctx.step(() => ctx.k.binaryF32(code, pa >= 0 ? pa : a.off, pb >= 0 ? pb : b.off, y.off, metaPtr, metaPtr + 24, metaPtr + 48), [a, b], [y]);
}

const UN: Record<string, number> = {
  Relu: UnaryOp.Relu, Clip: UnaryOp.Clip, Sigmoid: UnaryOp.Sigmoid, Tanh: UnaryOp.Tanh, HardSwish: UnaryOp.HardSwish,
  HardSigmoid: UnaryOp.HardSigmoid, Erf: UnaryOp.Erf, Gelu: UnaryOp.Gelu, Exp: UnaryOp.Exp, Log: UnaryOp.Log, Sqrt: UnaryOp.Sqrt,
  Neg: UnaryOp.Neg, Abs: UnaryOp.Abs, LeakyRelu: UnaryOp.LeakyRelu, Reciprocal: UnaryOp.Reciprocal, Floor: UnaryOp.Floor,
  Ceil: UnaryOp.Ceil, Softplus: UnaryOp.Softplus, Elu: UnaryOp.Elu, Sin: UnaryOp.Sin, Cos: UnaryOp.Cos, Round: UnaryOp.Round, Sign: UnaryOp.Sign,
};

/** The two parameters of a unary op's kernel call (Clip bounds, alpha/beta). */
export function unaryParams(ctx: NodeCtx): [number, number] {
  const op = ctx.node.opType;
  if (op === 'Clip') {
    if (ctx.opset < 11) return [ctx.float('min', -Infinity), ctx.float('max', Infinity)];
    const lo = ctx.opt(1), hi = ctx.opt(2);
    if (lo) ctx.needConst(lo, 'min');
    if (hi) ctx.needConst(hi, 'max');
    return [lo ? lo.num(0) : -Infinity, hi ? hi.num(0) : Infinity];
  }
  if (op === 'HardSigmoid') return [ctx.float('alpha', 0.2), ctx.float('beta', 0.5)];
  if (op === 'LeakyRelu') return [ctx.float('alpha', 0.01), 0];
  if (op === 'Elu') return [ctx.float('alpha', 1), 0];
  return [0, 0];
}

function planUnary(ctx: NodeCtx): void {
  const x = ctx.in(0);
  const op = ctx.node.opType;
  if (op === 'Gelu' && ctx.str('approximate', 'none') !== 'none') throw ctx.unsupported(`approximate='${ctx.str('approximate', '')}'`);
  if (x.dtype !== 'float32') {
    if (op === 'Clip' && ctx.opset >= 11) {
      const [lo, hi] = unaryParams(ctx);
      ctx.js([{ dtype: x.dtype, dims: x.dims }], ([a], [o]) => { for (let i = 0; i < o!.length; i++) wr(o!, i, Math.min(Math.max(rd(a!, i), lo), hi)); });
      return;
    }
    if (op === 'Neg' || op === 'Abs' || op === 'Relu' || op === 'Sign') {
      const f = op === 'Neg' ? (v: number) => -v : op === 'Abs' ? Math.abs : op === 'Relu' ? (v: number) => Math.max(v, 0) : Math.sign;
      ctx.js([{ dtype: x.dtype, dims: x.dims }], ([a], [o]) => { for (let i = 0; i < o!.length; i++) wr(o!, i, f(rd(a!, i))); });
      return;
    }
    throw ctx.unsupported(`input type ${x.dtype} (float32 only)`);
  }
  const [p0, p1] = unaryParams(ctx);
  const code = UN[op]!;
  const y = ctx.out(0, 'float32', x.dims);
  const px = x.isConst ? ctx.constPtr(x) : -1;
  ctx.step(() => ctx.k.unaryF32(code, px >= 0 ? px : x.off, y.off, x.size, p0, p1), [x], [y]);
}

/** Registers the elementwise ops. */
export function registerElementwise(t: Map<string, OpDef>): void {
  define(t, Object.keys(BIN), { plan: planBinary });
  define(t, Object.keys(UN), { plan: planUnary });
}
