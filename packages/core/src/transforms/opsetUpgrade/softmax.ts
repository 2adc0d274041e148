/**
 * Softmax, LogSoftmax and Hardmax at opset 13. Before 13 they flatten the input to 2-D
 * at `axis` (default 1) and normalise over everything from `axis` on; from 13 they work
 * along the single axis `axis` (default -1). The two agree when `axis` is the last
 * dimension; otherwise the old behaviour is rebuilt as
 * `Shape(x)`, `Flatten(x, axis)` → op(axis=1) → `Reshape(·, shape)`.
 */
import { attrInt, setAttr, type Node } from '../../ir/graph.js';
import type { UpgradeContext } from './context.js';

/** Rewrites a Softmax-family node of opset < 13 so its result is unchanged at opset 13. */
export function upgradeSoftmaxFamily(node: Node, ctx: UpgradeContext): void {
  if (!ctx.crosses(13)) return;
  const x = node.inputs[0]!;
  const y = node.outputs[0]!;
  const axis = attrInt(node, 'axis', 1);
  const rank = ctx.rank(x);
  const normalized = rank !== undefined && axis < 0 ? axis + rank : axis;
  if (axis === -1 || (rank !== undefined && normalized === rank - 1)) {
    setAttr(node, 'axis', { kind: 'int', value: axis });
    return;
  }
  if (rank !== undefined && (normalized < 0 || normalized >= rank)) throw ctx.unsupported(node, `axis ${axis} is out of range for rank ${rank}`);
  const shape = ctx.name(`${x}_shape`);
  const flat = ctx.name(`${x}_flat2d`);
  const out2d = ctx.name(`${y}_2d`);
  ctx.before.push(
    ctx.makeNode(`${node.name}_shape`, 'Shape', [x], [shape]),
    ctx.makeNode(`${node.name}_flatten`, 'Flatten', [x], [flat], [{ name: 'axis', value: { kind: 'int', value: axis } }]),
  );
  node.inputs[0] = flat;
  node.outputs[0] = out2d;
  setAttr(node, 'axis', { kind: 'int', value: 1 });
  ctx.after.push(ctx.makeNode(`${node.name}_reshape`, 'Reshape', [out2d, shape], [y]));
}
