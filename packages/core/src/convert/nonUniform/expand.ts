/**
 * The subgraph that expands non-uniform codes back to float weights at run time, with
 * standard ops only (opset ≥ 11):
 *   8-bit: codes:uint8[dims] → Cast(int32) → Gather(table) [→ Mul(channel scale)]
 *   4-bit: planes:uint8[h] → Cast(int32) → Mod 16 / Div 16 → Concat → [Slice] → Reshape(dims)
 *          → Gather(table) [→ Mul(channel scale)]
 */
import { Tensor } from '../../ir/tensor.js';
import type { GraphEditor } from '../graphEditor.js';
import type { Node } from '../../ir/graph.js';
import type { NonUniformWeight } from './encode.js';
import { packNibblePlanes } from './nibblePlanes.js';

/** ONNX TensorProto code of int32 (Cast's `to`). */
const INT32 = 6;

/** Adds the codes, the table and the expansion nodes (after `anchor`); returns the value holding the float weight. */
export function emitExpansion(ed: GraphEditor, anchor: Node | null, base: string, e: NonUniformWeight): string {
  const n = e.codes.length;
  const int = (name: string, values: number[], dims?: number[]) => ed.constant(`${base}_${name}`, Tensor.int64(values, dims));
  let idx: string;
  if (e.bits === 8) {
    const codes = ed.constant(`${base}_codes`, new Tensor('uint8', Uint8Array.from(e.codes), e.dims.slice()));
    idx = ed.name(`${base}_codes_int32`);
    ed.node(anchor, 'Cast', [codes], [idx], [{ name: 'to', value: { kind: 'int', value: INT32 } }]);
  } else {
    const packed = packNibblePlanes(e.codes);
    const planes = ed.constant(`${base}_codes_packed`, new Tensor('uint8', packed, [packed.length]));
    const wide = ed.name(`${base}_codes_packed_int32`);
    ed.node(anchor, 'Cast', [planes], [wide], [{ name: 'to', value: { kind: 'int', value: INT32 } }]);
    const sixteen = ed.constant(`${base}_sixteen`, Tensor.scalar('int32', 16));
    const lo = ed.name(`${base}_codes_low`);
    const hi = ed.name(`${base}_codes_high`);
    ed.node(anchor, 'Mod', [wide, sixteen], [lo]);
    ed.node(anchor, 'Div', [wide, sixteen], [hi]);
    let flat = ed.name(`${base}_codes_flat`);
    ed.node(anchor, 'Concat', [lo, hi], [flat], [{ name: 'axis', value: { kind: 'int', value: 0 } }]);
    if (n % 2 === 1) {
      const cut = ed.name(`${base}_codes_flat_cut`);
      ed.node(anchor, 'Slice', [flat, int('slice_start', [0]), int('slice_end', [n]), int('slice_axes', [0])], [cut]);
      flat = cut;
    }
    idx = ed.name(`${base}_codes_int32`);
    ed.node(anchor, 'Reshape', [flat, int('shape', e.dims.slice(), [e.dims.length])], [idx]);
  }
  const table = ed.constant(`${base}_table`, new Tensor('float32', Float32Array.from(e.table), [e.table.length]));
  const cs = e.channelScale;
  const gathered = ed.name(cs ? `${base}_levels` : `${base}_expanded`);
  ed.node(anchor, 'Gather', [table, idx], [gathered], [{ name: 'axis', value: { kind: 'int', value: 0 } }]);
  if (!cs) return gathered;
  const dims = e.dims.map((d, i) => (i === cs.axis ? d : 1));
  const scale = ed.constant(`${base}_channel_scale`, new Tensor('float32', Float32Array.from(cs.values), dims));
  const out = ed.name(`${base}_expanded`);
  ed.node(anchor, 'Mul', [gathered, scale], [out]);
  return out;
}
