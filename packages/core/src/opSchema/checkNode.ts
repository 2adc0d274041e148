/**
 * Checks one node's attributes against its op schema: names, types, allowed values and the
 * cross-attribute rules. Failures are E_ATTRIBUTE naming the node, op, attribute and why.
 */
import { QtkError } from '../errors/QtkError.js';
import type { AttributeValue, Node } from '../ir/graph.js';
import type { AttrSpec, AxisRange, NodeRule, OpSchema } from './types.js';

/** Dims of a value where known (`null` for an unknown dim); undefined when even the rank is unknown. */
export type DimsOf = (name: string) => readonly (number | null)[] | undefined;

/** Options of `checkNodeAttributes`. */
export interface CheckNodeOptions {
  /** Dims of the node's inputs where known (graph inputs, initializers); enables axis and channel checks. */
  dimsOf?: DimsOf;
  /** Whether an attribute the schema does not name is an error (default true, as onnxruntime). */
  unknownIsError?: boolean;
}

/** Throws E_ATTRIBUTE when `node` breaks `schema`. */
export function checkNodeAttributes(node: Node, schema: OpSchema, options: CheckNodeOptions = {}): void {
  const fail = (attribute: string, why: string): never => {
    throw new QtkError('E_ATTRIBUTE', `${node.opType} node '${node.name}': attribute '${attribute}' ${why}`, { node: node.name, attribute });
  };
  const rankOf = (input: number): number | undefined => {
    const name = node.inputs[input];
    return name ? options.dimsOf?.(name)?.length : undefined;
  };
  const seen = new Set<string>();
  for (const a of node.attributes) {
    if (seen.has(a.name)) fail(a.name, 'is given twice');
    seen.add(a.name);
    const spec = schema.attrs[a.name];
    if (!spec) {
      if (options.unknownIsError === false) continue;
      const known = Object.keys(schema.attrs);
      fail(a.name, `is not an attribute of ${node.opType} (${known.length ? `it takes ${known.join(', ')}` : 'it takes none'})`);
    }
    if (a.refAttrName) continue; // a function body's reference, bound when the function is called
    checkValue(a.value, spec!, (why) => fail(a.name, why), rankOf);
  }
  for (const rule of schema.rules ?? []) checkRule(node, rule, fail, options.dimsOf);
}

function checkValue(v: AttributeValue, spec: AttrSpec, fail: (why: string) => never, rankOf: (input: number) => number | undefined): void {
  if (v.kind !== spec.kind) fail(`must be of type ${spec.kind}, is ${v.kind}`);
  switch (spec.kind) {
    case 'int': {
      const x = (v as { value: number }).value;
      if (spec.oneOf && !spec.oneOf.includes(x)) fail(`is ${x}; allowed: ${spec.oneOf.join(', ')}`);
      bounds([x], spec, fail);
      if (spec.axis) axisRange([x], spec.axis, rankOf, fail);
      break;
    }
    case 'float': {
      const x = (v as { value: number }).value;
      if ((spec.min !== undefined || spec.max !== undefined) && Number.isNaN(x)) fail('is NaN');
      bounds([x], spec, fail);
      break;
    }
    case 'string': {
      const x = (v as { value: string }).value;
      if (spec.oneOf && !spec.oneOf.includes(x)) fail(`is '${x}'; allowed: ${spec.oneOf.map((s) => `'${s}'`).join(', ')}`);
      break;
    }
    case 'ints': {
      const xs = (v as { value: number[] }).value;
      if (spec.nonEmpty && xs.length === 0) fail('is empty');
      bounds(xs, spec, fail);
      if (spec.unique && new Set(xs).size !== xs.length) fail(`repeats a value in [${xs.join(', ')}]`);
      if (spec.axes) axisRange(xs, spec.axes, rankOf, fail);
      break;
    }
    default:
  }
}

function bounds(xs: readonly number[], spec: { min?: number; max?: number }, fail: (why: string) => never): void {
  for (const x of xs) {
    if (spec.min !== undefined && x < spec.min) fail(`has ${x}, below the minimum ${spec.min}`);
    if (spec.max !== undefined && x > spec.max) fail(`has ${x}, above the maximum ${spec.max}`);
  }
}

function axisRange(xs: readonly number[], range: AxisRange, rankOf: (input: number) => number | undefined, fail: (why: string) => never): void {
  const r = rankOf(range.input);
  if (r === undefined) return;
  const hi = range.inclusive ? r : r - 1;
  for (const x of xs) if (x < -r || x > hi) fail(`has axis ${x}, out of range [${-r}, ${hi}] for input ${range.input} of rank ${r}`);
}

function intsAttr(node: Node, name: string): number[] | undefined {
  const v = node.attributes.find((a) => a.name === name)?.value;
  return v?.kind === 'ints' ? v.value : undefined;
}

function intAttr(node: Node, name: string): number | undefined {
  const v = node.attributes.find((a) => a.name === name)?.value;
  return v?.kind === 'int' ? v.value : undefined;
}

function checkRule(node: Node, rule: NodeRule, fail: (attribute: string, why: string) => never, dimsOf?: DimsOf): void {
  const has = (name: string) => node.attributes.some((a) => a.name === name);
  const dims = (input: number | undefined) => {
    const name = input === undefined ? undefined : node.inputs[input];
    return name ? dimsOf?.(name) : undefined;
  };
  switch (rule.rule) {
    case 'required':
      for (const a of rule.attrs) if (!has(a)) fail(a, `is required by ${node.opType}`);
      return;
    case 'exactlyOne': {
      const set = rule.attrs.filter(has);
      if (set.length !== 1) fail(set[1] ?? rule.attrs[0]!, `${set.length ? 'is one too many' : 'is missing'}: ${node.opType} takes exactly one of ${rule.attrs.join(', ')} (${set.length ? set.join(', ') : 'none'} given)`);
      return;
    }
    case 'permutation': {
      const perm = intsAttr(node, rule.attr);
      const r = dims(rule.input)?.length;
      if (!perm) return;
      const n = r ?? perm.length;
      if (perm.length !== n) fail(rule.attr, `has ${perm.length} entries for an input of rank ${n}`);
      for (const p of perm) if (p >= n) fail(rule.attr, `has axis ${p}, not below ${n}: [${perm.join(', ')}] is not a permutation`);
      return;
    }
    case 'window':
      checkWindow(node, rule, fail, dims);
      return;
    case 'group':
      checkGroup(node, rule, fail, dims);
  }
}

function checkWindow(node: Node, rule: Extract<NodeRule, { rule: 'window' }>, fail: (attribute: string, why: string) => never, dims: (input: number | undefined) => readonly (number | null)[] | undefined): void {
  const kernel = intsAttr(node, 'kernel_shape');
  if (rule.pool && !kernel) fail('kernel_shape', `is required by ${node.opType}`);
  const w = dims(rule.weight);
  const x = dims(0);
  const rank = kernel?.length ?? (w ? w.length - 2 : x ? x.length - 2 : undefined);
  if (rank === undefined) return;
  if (kernel && w) {
    if (w.length - 2 !== kernel.length) fail('kernel_shape', `has ${kernel.length} dims, the weight [${w.join(',')}] has ${w.length - 2} spatial dims`);
    kernel.forEach((k, i) => {
      const d = w[i + 2];
      if (typeof d === 'number' && d !== k) fail('kernel_shape', `is [${kernel.join(',')}], the weight's spatial dims are [${w.slice(2).join(',')}]`);
    });
  }
  if (x && x.length - 2 !== rank) fail(kernel ? 'kernel_shape' : 'pads', `describes ${rank} spatial dims, the input has rank ${x.length}`);
  for (const name of ['strides', 'dilations'] as const) {
    const v = intsAttr(node, name);
    if (v && v.length !== rank) fail(name, `has ${v.length} entries for ${rank} spatial dims`);
  }
  const pads = intsAttr(node, 'pads');
  if (pads && pads.length !== 2 * rank) fail('pads', `has ${pads.length} entries; ${rank} spatial dims need ${2 * rank} (begin and end of each)`);
  if (rule.pool && pads && kernel) {
    for (let i = 0; i < rank; i++) {
      if (pads[i]! >= kernel[i]! || pads[i + rank]! >= kernel[i]!) fail('pads', `[${pads.join(',')}] is not smaller than kernel_shape [${kernel.join(',')}] on axis ${i}`);
    }
  }
}

function checkGroup(node: Node, rule: Extract<NodeRule, { rule: 'group' }>, fail: (attribute: string, why: string) => never, dims: (input: number | undefined) => readonly (number | null)[] | undefined): void {
  const group = intAttr(node, 'group') ?? 1;
  if (group < 1) return; // the attribute's own bound reports it
  const w = dims(rule.weight);
  const c = dims(0)?.[1];
  const known = (d: number | null | undefined): d is number => typeof d === 'number';
  if (rule.transposed) {
    if (known(c) && c % group !== 0) fail('group', `${group} does not divide the ${c} input channels`);
    if (known(c) && w && known(w[0]) && w[0] !== c) fail('group', `${group} with weight [${w.join(',')}] needs ${w[0]} input channels, the input has ${c}`);
    return;
  }
  if (w && known(w[0]) && w[0] % group !== 0) fail('group', `${group} does not divide the ${w[0]} output channels of the weight [${w.join(',')}]`);
  if (known(c)) {
    if (c % group !== 0) fail('group', `${group} does not divide the ${c} input channels`);
    if (w && known(w[1]) && w[1] * group !== c) fail('group', `${group} with weight [${w.join(',')}] needs ${w[1] * group} input channels, the input has ${c}`);
  }
}
