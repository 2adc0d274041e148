/** The tensor a Constant node holds, whichever attribute carries it. */
import type { Node } from '../ir/graph.js';
import { Tensor } from '../ir/tensor.js';

/**
 * The value of a Constant node: `value`, `value_float(s)`, `value_int(s)` or
 * `value_string(s)`; undefined for `sparse_value` or a malformed node.
 * Example: `value_ints = [1, -1]` gives an int64 tensor of dims `[2]`.
 */
export function constantNodeValue(node: Node): Tensor | undefined {
  if (node.opType !== 'Constant' || (node.domain !== '' && node.domain !== 'ai.onnx')) return undefined;
  const a = node.attributes[0];
  if (!a || node.attributes.length !== 1) return undefined;
  const v = a.value;
  switch (a.name) {
    case 'value': return v.kind === 'tensor' ? v.value : undefined;
    case 'value_float': return v.kind === 'float' ? new Tensor('float32', Float32Array.of(v.value), []) : undefined;
    case 'value_floats': return v.kind === 'floats' ? new Tensor('float32', Float32Array.from(v.value), [v.value.length]) : undefined;
    case 'value_int': return v.kind === 'int' ? int64Tensor([v.value], []) : undefined;
    case 'value_ints': return v.kind === 'ints' ? int64Tensor(v.value, [v.value.length]) : undefined;
    case 'value_string': return v.kind === 'string' ? new Tensor('string', [utf8(v.value)], []) : undefined;
    case 'value_strings': return v.kind === 'strings' ? new Tensor('string', v.value.map(utf8), [v.value.length]) : undefined;
    default: return undefined;
  }
}

/** An int64 tensor from JS numbers, clamping to the int64 range (2^63 from a lossy decode stays INT64_MAX). */
export function int64Tensor(values: readonly number[], dims: readonly number[]): Tensor {
  return Tensor.int64(values, dims);
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
