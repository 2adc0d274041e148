/**
 * Shape rules of matrix products: MatMul (numpy batch broadcasting, 1-D operands
 * promoted then dropped), Gemm (transA/transB), MatMulInteger, QLinearMatMul.
 * Example: MatMul of `['N', 1, 5, 4]` and `[3, 4, 7]` gives `['N', 3, 5, 7]`.
 */
import { attrInt, type Dim } from '../../ir/graph.js';
import { broadcastShapes } from '../dims.js';
import { fail, type RuleContext, type ShapeRule } from '../types.js';
import { info } from './common.js';

/** Output shape of numpy matmul over `a` and `b`; fails on a contraction mismatch. */
export function matmulShape(a: readonly Dim[], b: readonly Dim[]): Dim[] {
  if (a.length === 0 || b.length === 0) fail('MatMul operands must have rank 1 or more');
  const aa = a.length === 1 ? [1, a[0]!] : [...a];
  const bb = b.length === 1 ? [b[0]!, 1] : [...b];
  const k1 = aa[aa.length - 1]!;
  const k2 = bb[bb.length - 2]!;
  if (typeof k1 === 'number' && typeof k2 === 'number' && k1 !== k2) fail(`contraction dims differ: ${k1} vs ${k2}`);
  const batch = broadcastShapes([aa.slice(0, -2), bb.slice(0, -2)]);
  if (!batch) fail(`batch dims [${aa.slice(0, -2).join(',')}] and [${bb.slice(0, -2).join(',')}] do not broadcast`);
  const out = [...batch];
  if (a.length > 1) out.push(aa[aa.length - 2]!);
  if (b.length > 1) out.push(bb[bb.length - 1]!);
  return out;
}

function product(ctx: RuleContext, a: number, b: number): Dim[] | undefined {
  const as = ctx.input(a)?.shape;
  const bs = ctx.input(b)?.shape;
  if (!as || !bs) return ctx.noShape('an operand has no known shape');
  return matmulShape(as, bs);
}

const matmul: ShapeRule = (ctx) => {
  const a = ctx.need(0);
  ctx.need(1);
  return [info(a.dtype, product(ctx, 0, 1))];
};

const matmulInteger: ShapeRule = (ctx) => {
  ctx.need(0);
  ctx.need(1);
  return [info('int32', product(ctx, 0, 1))];
};

const qlinearMatmul: ShapeRule = (ctx) => {
  const a = ctx.need(0);
  ctx.need(3);
  return [info(ctx.input(7)?.dtype ?? a.dtype, product(ctx, 0, 3))];
};

const gemm: ShapeRule = (ctx) => {
  const a = ctx.need(0);
  const as = a.shape;
  const bs = ctx.need(1).shape;
  if (!as || !bs) return [info(a.dtype, ctx.noShape('an operand has no known shape'))];
  if (as.length !== 2 || bs.length !== 2) fail(`Gemm operands must be 2-D, got ranks ${as.length} and ${bs.length}`);
  const ta = attrInt(ctx.node, 'transA', 0) === 1;
  const tb = attrInt(ctx.node, 'transB', 0) === 1;
  const m = ta ? as[1]! : as[0]!;
  const ka = ta ? as[0]! : as[1]!;
  const kb = tb ? bs[1]! : bs[0]!;
  const n = tb ? bs[0]! : bs[1]!;
  if (typeof ka === 'number' && typeof kb === 'number' && ka !== kb) fail(`contraction dims differ: ${ka} vs ${kb}`);
  return [info(a.dtype, [m, n])];
};

/** Matrix product rules by op type. */
export const matmulRules: ReadonlyArray<[string, ShapeRule]> = [
  ['MatMul', matmul],
  ['MatMulInteger', matmulInteger],
  ['QLinearMatMul', qlinearMatmul],
  ['Gemm', gemm],
];
