/**
 * Normalization. A BatchNormalization after a Conv folds into it (no Q/DQ); a standalone one
 * gets Q/DQ on its data input, which TensorRT runs as an INT8 scale. A LayerNormalization
 * gets Q/DQ on its data input when a Conv produces it, so the Conv ends in INT8 and the
 * normalization reads INT8; elsewhere (a transformer's LayerNorm) it stays float.
 */
import { nonFloatReason, type OpHandler } from '@qtk/core';
import { convEpilogueSource } from '../graphWalk.js';

/** Static handler for BatchNormalization and LayerNormalization (data input only; scale, bias and statistics stay float). */
export const normalizationHandler: OpHandler = {
  opTypes: ['BatchNormalization', 'LayerNormalization'],
  annotate(node, ctx) {
    const x = node.inputs[0];
    if (!x) return 'missing data input';
    const bad = nonFloatReason(ctx, x);
    if (bad) return bad;
    const conv = convEpilogueSource(ctx.index, x, true);
    if (node.opType === 'BatchNormalization') {
      if (conv) return `folds into '${conv.name}' before it`;
    } else if (!conv) {
      return 'LayerNormalization not fed by a Conv: TensorRT keeps it float in INT8';
    }
    ctx.markActivation(x);
  },
};
