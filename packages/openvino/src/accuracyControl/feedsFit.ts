/**
 * Whether feeds fit a model's inputs: every input present, with the declared element type
 * and a shape that matches the declared one where it is fixed.
 */
import { QtkError, type Feeds, type Model } from '@qtk/core';

/** `[1, 3, 48, 320]`, symbolic dims by name, unknown ones as `?`. */
function shapeText(dims: ReadonlyArray<number | string | null>): string {
  return `[${dims.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

/**
 * Throws when `feeds` do not fit `model`'s graph inputs (initializers aside): an
 * E_CALIB_DATA error for a missing input, E_DTYPE for another element type, E_SHAPE for a
 * shape that differs in rank or in a fixed dimension; each names the input, both shapes
 * and `where` (which dataset, which item).
 */
export function checkFeedsFit(model: Model, feeds: Feeds, where: string): void {
  const g = model.graph;
  for (const input of g.inputs) {
    if (g.initializers.has(input.name)) continue;
    const t = feeds[input.name];
    if (!t) {
      const given = Object.keys(feeds);
      throw new QtkError('E_CALIB_DATA', `${where}: the model's input '${input.name}' is not fed (the item gives ${given.length ? given.map((n) => `'${n}'`).join(', ') : 'no inputs'})`, { tensor: input.name });
    }
    const type = input.type?.kind === 'tensor' ? input.type : undefined;
    if (!type) continue;
    if (t.dtype !== type.dtype) {
      throw new QtkError('E_DTYPE', `${where}: input '${input.name}' is ${t.dtype} ${shapeText(t.dims)}, the model takes ${type.dtype}${type.shape ? ` ${shapeText(type.shape)}` : ''}`, { tensor: input.name });
    }
    const shape = type.shape;
    if (shape && (shape.length !== t.dims.length || shape.some((d, i) => typeof d === 'number' && d !== t.dims[i]))) {
      throw new QtkError('E_SHAPE', `${where}: input '${input.name}' has shape ${shapeText(t.dims)}, the model takes ${shapeText(shape)}`, { tensor: input.name });
    }
  }
}
