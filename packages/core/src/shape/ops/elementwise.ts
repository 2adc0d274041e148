/**
 * Shape rules of elementwise ops: unary ops keep shape and type, binary and variadic
 * ops broadcast numpy-style, comparisons give bool, Cast changes the type.
 * Integer values (shape arithmetic) flow through Add/Sub/Mul/Div, Cast, Where, Equal.
 */
import type { Dim } from '../../ir/graph.js';
import type { DimAlgebra } from '../dims.js';
import { fail, type ShapeRule } from '../types.js';
import { broadcastInputs, dtypeAttr, info, MAX_VALUES, staticSize } from './common.js';

const UNARY = [
  'Relu', 'Sigmoid', 'Tanh', 'HardSigmoid', 'HardSwish', 'LeakyRelu', 'Erf', 'Sqrt', 'Exp', 'Log', 'Abs', 'Neg',
  'Clip', 'Elu', 'Selu', 'Celu', 'Softplus', 'Softsign', 'Gelu', 'Mish', 'ThresholdedRelu', 'Shrink', 'Round',
  'Floor', 'Ceil', 'Reciprocal', 'Sign', 'Sin', 'Cos', 'Tan', 'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh', 'Asinh',
  'Acosh', 'Atanh', 'BitwiseNot', 'CumSum', 'Trilu', 'LRN', 'Swish',
];
const BINARY_SAME = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Mod', 'PRelu', 'BitShift', 'BitwiseAnd', 'BitwiseOr', 'BitwiseXor'];
const VARIADIC = ['Sum', 'Max', 'Min', 'Mean'];
const COMPARE = ['Equal', 'Greater', 'Less', 'GreaterOrEqual', 'LessOrEqual', 'And', 'Or', 'Xor'];

/** Same dtype, shape and values as input 0. */
export const passThrough: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  return [x.shape ? { ...x } : { dtype: x.dtype, shape: ctx.noShape(`input '${ctx.node.inputs[0]}' has no known shape`) }];
};

const unary: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  return [info(x.dtype, x.shape ?? ctx.noShape('input has no known shape'))];
};

/** Applies `f` elementwise over two tracked value lists with broadcasting (lengths equal or 1). */
function combine(a: Dim[] | undefined, b: Dim[] | undefined, shape: Dim[] | undefined, f: (x: Dim, y: Dim) => Dim): Dim[] | undefined {
  if (!a || !b || !shape || shape.length > 1) return undefined;
  const n = staticSize(shape);
  if (n === undefined || n > MAX_VALUES || (a.length !== n && a.length !== 1) || (b.length !== n && b.length !== 1)) return undefined;
  return Array.from({ length: n }, (_, i) => f(a[a.length === 1 ? 0 : i]!, b[b.length === 1 ? 0 : i]!));
}

function arithmetic(op: string, d: DimAlgebra, integer: boolean): ((x: Dim, y: Dim) => Dim) | undefined {
  switch (op) {
    case 'Add': return (x, y) => d.add(x, y);
    case 'Sub': return (x, y) => d.sub(x, y);
    case 'Mul': return (x, y) => d.mul(x, y);
    case 'Div':
      if (!integer) return undefined;
      return (x, y) => {
        if (typeof x === 'number' && typeof y === 'number') return y === 0 ? null : Math.trunc(x / y);
        return typeof y === 'number' && y > 0 ? d.floorDiv(x, y) : null;
      };
    default: return undefined;
  }
}

const binary: ShapeRule = (ctx) => {
  const a = ctx.need(0);
  ctx.need(1);
  const shape = broadcastInputs(ctx, [0, 1]);
  const f = arithmetic(ctx.node.opType, ctx.dims, a.dtype === 'int64' || a.dtype === 'int32');
  const value = f ? combine(ctx.values(0), ctx.values(1), shape, f) : undefined;
  return [info(a.dtype, shape, value)];
};

const variadic: ShapeRule = (ctx) => {
  const a = ctx.need(0);
  return [info(a.dtype, broadcastInputs(ctx, ctx.node.inputs.map((_, i) => i)))];
};

const compare: ShapeRule = (ctx) => {
  ctx.need(0);
  ctx.need(1);
  const shape = broadcastInputs(ctx, [0, 1]);
  let value: Dim[] | undefined;
  if (ctx.node.opType === 'Equal') {
    value = combine(ctx.values(0), ctx.values(1), shape, (x, y) =>
      typeof x === 'number' && typeof y === 'number' ? Number(x === y) : x !== null && x === y ? 1 : null);
  }
  return [info('bool', shape, value)];
};

const toBool: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  return [info('bool', x.shape ?? ctx.noShape('input has no known shape'))];
};

const where: ShapeRule = (ctx) => {
  ctx.need(0);
  const x = ctx.need(1);
  ctx.need(2);
  const shape = broadcastInputs(ctx, [0, 1, 2]);
  const c = ctx.values(0);
  const xv = ctx.values(1);
  const yv = ctx.values(2);
  let value: Dim[] | undefined;
  const n = shape && shape.length <= 1 ? staticSize(shape) : undefined;
  if (c && xv && yv && n !== undefined && n <= MAX_VALUES && [c, xv, yv].every((v) => v.length === n || v.length === 1)) {
    value = Array.from({ length: n }, (_, i) => {
      const ci = c[c.length === 1 ? 0 : i];
      return typeof ci === 'number' ? (ci ? xv[xv.length === 1 ? 0 : i]! : yv[yv.length === 1 ? 0 : i]!) : null;
    });
  }
  return [info(x.dtype, shape, value)];
};

const cast: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const to = dtypeAttr(ctx, 'to') ?? fail('Cast has no "to" attribute');
  const keepValues = x.value && (to === 'int64' || to === 'int32');
  return [info(to, x.shape ?? ctx.noShape('input has no known shape'), keepValues ? x.value : undefined)];
};

const castLike: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const to = ctx.need(1).dtype;
  return [info(to, x.shape ?? ctx.noShape('input has no known shape'))];
};

const dropout: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const shape = x.shape ?? ctx.noShape('input has no known shape');
  return [{ ...info(x.dtype, shape), ...(x.value ? { value: x.value } : {}) }, info('bool', shape)];
};

/** Elementwise rules by op type. */
export const elementwiseRules: ReadonlyArray<[string, ShapeRule]> = [
  ...UNARY.map((op): [string, ShapeRule] => [op, unary]),
  ...BINARY_SAME.map((op): [string, ShapeRule] => [op, binary]),
  ...VARIADIC.map((op): [string, ShapeRule] => [op, variadic]),
  ...COMPARE.map((op): [string, ShapeRule] => [op, compare]),
  ['Not', toBool], ['IsNaN', toBool], ['IsInf', toBool],
  ['Identity', passThrough],
  ['Where', where],
  ['Cast', cast],
  ['CastLike', castLike],
  ['Dropout', dropout],
];
