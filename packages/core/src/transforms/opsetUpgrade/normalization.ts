/**
 * BatchNormalization and Dropout signature changes: `is_test` removed (opset 7),
 * BatchNormalization `spatial` removed (9; only spatial=1 keeps its meaning), Dropout's
 * mask becomes bool (10) and its `ratio` attribute an input (12).
 */
import { Tensor } from '../../ir/tensor.js';
import type { Node } from '../../ir/graph.js';
import { setInput, takeAttr, type UpgradeContext } from './context.js';

/** Drops `is_test` (7) and `spatial` (9; fails for spatial=0, whose statistics are per element). */
export function upgradeBatchNormalization(node: Node, ctx: UpgradeContext): void {
  if (ctx.crosses(7)) {
    const isTest = takeAttr(node, 'is_test');
    if (isTest?.kind === 'int' && isTest.value === 0 && node.outputs.filter((o) => o).length > 1) {
      throw ctx.unsupported(node, 'training-mode BatchNormalization (is_test=0 with statistics outputs)');
    }
  }
  if (ctx.crosses(9)) {
    const spatial = takeAttr(node, 'spatial');
    if (spatial?.kind === 'int' && spatial.value === 0) throw ctx.unsupported(node, 'spatial=0 (per-element statistics) has no opset 9+ form');
  }
}

/** Drops `is_test` (7), checks the mask is unread (its type changes at 10), moves `ratio` to an input (12). */
export function upgradeDropout(node: Node, ctx: UpgradeContext): void {
  if (ctx.crosses(7)) takeAttr(node, 'is_test');
  if (ctx.crosses(10) && node.outputs[1]) {
    if (!ctx.isRead(node.outputs[1])) node.outputs.length = 1;
    else throw ctx.unsupported(node, `its mask output '${node.outputs[1]}' changes type from the data type to bool at opset 10`);
  }
  if (ctx.crosses(12)) {
    const ratio = takeAttr(node, 'ratio');
    if (ratio?.kind === 'float') setInput(node, 1, ctx.constant(`${node.name}_ratio`, Tensor.scalar('float32', ratio.value)));
  }
}
