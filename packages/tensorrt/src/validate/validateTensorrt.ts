/** Throwing form of the TensorRT check, for callers that stop at the first bad model. */
import { QtkError, type Model } from '@qtk/core';
import { tensorrtProblems } from './tensorrtProblems.js';

/**
 * Throws QtkError E_UNSUPPORTED listing every Q/DQ problem TensorRT's parser has with
 * `model` (where: the first problem's node and tensor); returns quietly when there is none.
 * Example: `validateTensorrt(asymmetricModel)` throws "2 Q/DQ problems for TensorRT:\n- QuantizeLinear 'q': zero point ..."
 */
export function validateTensorrt(model: Model): void {
  const problems = tensorrtProblems(model);
  if (!problems.length) return;
  const first = problems[0]!;
  const list = problems.map((p) => `- ${p.message}`).join('\n');
  throw new QtkError('E_UNSUPPORTED', `${problems.length} Q/DQ problem${problems.length === 1 ? '' : 's'} for TensorRT:\n${list}`, {
    ...(first.node && { node: first.node }),
    ...(first.tensor && { tensor: first.tensor }),
  });
}
