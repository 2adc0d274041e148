/**
 * Shape rules of recurrent layers: LSTM, GRU, RNN. With layout 0, X is
 * `[seq, batch, input]`, Y is `[seq, directions, batch, hidden]` and Y_h/Y_c are
 * `[directions, batch, hidden]`; layout 1 puts batch first. Example: a bidirectional LSTM
 * of hidden_size 32 over `['T', 'N', 16]` gives Y `['T', 2, 'N', 32]`.
 */
import { attrInt, attrString, type Dim } from '../../ir/graph.js';
import { fail, type ShapeRule } from '../types.js';
import { info } from './common.js';

const recurrent: ShapeRule = (ctx) => {
  const x = ctx.need(0);
  const count = ctx.node.outputs.length;
  const xs = x.shape;
  if (!xs) {
    const reason = ctx.noShape('input has no known shape');
    return Array.from({ length: count }, () => info(x.dtype, reason));
  }
  if (xs.length !== 3) fail(`input rank ${xs.length} is not 3`);
  const dirs = attrString(ctx.node, 'direction', 'forward') === 'bidirectional' ? 2 : 1;
  const hidden: Dim = attrInt(ctx.node, 'hidden_size') ?? ctx.input(2)?.shape?.[2] ?? null;
  const batchFirst = attrInt(ctx.node, 'layout', 0) === 1;
  const [seq, batch] = batchFirst ? [xs[1]!, xs[0]!] : [xs[0]!, xs[1]!];
  const y = batchFirst ? [batch, seq, dirs, hidden] : [seq, dirs, batch, hidden];
  const state = batchFirst ? [batch, dirs, hidden] : [dirs, batch, hidden];
  return Array.from({ length: count }, (_, k) => info(x.dtype, k === 0 ? y : [...state]));
};

/** Recurrent rules by op type. */
export const rnnRules: ReadonlyArray<[string, ShapeRule]> = [
  ['LSTM', recurrent],
  ['GRU', recurrent],
  ['RNN', recurrent],
];
