/**
 * Shape and type inference over the IR: runs each node's rule in topological order and
 * writes the results into `graph.valueInfo`. Graph inputs keep their declared types;
 * graph outputs only get a type or shape filled in where none was declared.
 */
import type { Dim, Graph, Model, Node } from '../ir/graph.js';
import { topologicalSort } from '../ir/graphIndex.js';
import type { Tensor } from '../ir/tensor.js';
import { constantNodeValue } from './constantValue.js';
import { DimAlgebra } from './dims.js';
import { infoOfConstant, MAX_VALUES } from './ops/common.js';
import { shapeRules } from './registry.js';
import { fail, ShapeUnknown, type RuleContext, type ShapeRule, type TensorInfo, type UnknownShape } from './types.js';


/** Options of `inferShapes`. */
export interface InferShapesOptions {
  /** Called for each node whose output shape could not be decided. */
  onUnknown?: (info: UnknownShape) => void;
  /** Extra or overriding rules, keyed by op type (default domain) or `'domain:OpType'`. */
  rules?: ReadonlyMap<string, ShapeRule>;
  /**
   * Use existing `valueInfo` and declared graph output types to fill what the rules leave
   * unknown (default true). Constant folding turns this off so stale annotations never
   * become folded constants.
   */
  trustValueInfo?: boolean;
}

/** What `inferShapes` did: `inferred` counts node outputs given a shape (rank known). */
export interface InferShapesResult {
  inferred: number;
  unknown: UnknownShape[];
}

/** Types of every value inference reached, and the nodes it could not decide. */
export interface InferredTypes {
  types: Map<string, TensorInfo>;
  unknown: UnknownShape[];
}

/**
 * Infers dtypes and shapes of every node output of the main graph and stores them in
 * `graph.valueInfo` (mutates the model). Never throws for an undecidable node: it is
 * reported in `unknown` (and to `onUnknown`) and inference goes on.
 * Example: Conv over x `['N', 3, 32, 32]` with a 16x3x3x3 weight and pads 1 gives `['N', 16, 32, 32]`.
 */
export function inferShapes(model: Model, options: InferShapesOptions = {}): InferShapesResult {
  const g = model.graph;
  const { types, unknown } = inferTypes(model, options);
  const outputs = new Map(g.outputs.map((o, i) => [o.name, i]));
  const inputs = new Set(g.inputs.map((v) => v.name));
  let inferred = 0;
  for (const n of g.nodes) {
    for (const name of n.outputs) {
      const info = name ? types.get(name) : undefined;
      if (!info) continue;
      if (info.shape) inferred++;
      const type = { kind: 'tensor' as const, dtype: info.dtype, ...(info.shape ? { shape: [...info.shape] } : {}) };
      const oi = outputs.get(name);
      if (oi !== undefined) {
        const declared = g.outputs[oi]!;
        if (!declared.type) g.outputs[oi] = { ...declared, type };
        else if (declared.type.kind === 'tensor' && !declared.type.shape && info.shape && declared.type.dtype === info.dtype) {
          g.outputs[oi] = { ...declared, type: { ...declared.type, shape: [...info.shape] } };
        }
      } else if (!inputs.has(name) && !g.initializers.has(name)) {
        const old = g.valueInfo.get(name);
        g.valueInfo.set(name, { ...old, name, type });
      }
    }
  }
  return { inferred, unknown };
}

/** Runs the rules without writing anything: the type of each value, and the undecided nodes. */
export function inferTypes(model: Model, options: InferShapesOptions = {}): InferredTypes {
  const g = model.graph;
  const types = new Map<string, TensorInfo>();
  const constants = new Map<string, Tensor>();
  const hints = new Map<string, TensorInfo>();
  const declaredInputs = new Set<string>();
  for (const v of g.inputs) {
    declaredInputs.add(v.name);
    if (v.type?.kind === 'tensor') types.set(v.name, { dtype: v.type.dtype, ...(v.type.shape ? { shape: [...v.type.shape] } : {}) });
  }
  for (const [name, t] of g.initializers) {
    if (declaredInputs.has(name)) {
      if (!types.has(name)) types.set(name, { dtype: t.dtype, shape: [...t.dims] });
      continue;
    }
    constants.set(name, t);
    types.set(name, infoOfConstant(t));
  }
  if (options.trustValueInfo !== false) {
    for (const v of [...g.valueInfo.values(), ...g.outputs]) {
      if (v.type?.kind === 'tensor') hints.set(v.name, { dtype: v.type.dtype, ...(v.type.shape ? { shape: [...v.type.shape] } : {}) });
    }
  }

  const dims = new DimAlgebra();
  const unknown: UnknownShape[] = [];
  const defaultOpset = model.opsetImports.get('') ?? model.opsetImports.get('ai.onnx') ?? 21;
  for (const node of topologicalSort(g)) {
    const isDefault = node.domain === '' || node.domain === 'ai.onnx';
    const key = isDefault ? node.opType : `${node.domain}:${node.opType}`;
    const rule = options.rules?.get(key) ?? shapeRules.get(key);
    const opset = isDefault ? defaultOpset : model.opsetImports.get(node.domain) ?? 1;
    const ctx = new Context(node, opset, dims, types, constants);
    let outs: Array<TensorInfo | undefined> = [];
    let reason: string | undefined;
    if (!rule) reason = `no shape rule for ${isDefault ? '' : `${node.domain}.`}${node.opType}`;
    else {
      try {
        outs = rule(ctx);
      } catch (e) {
        reason = e instanceof ShapeUnknown ? e.reason : `shape rule failed: ${(e as Error).message}`;
        outs = [];
      }
    }
    if (node.opType === 'Constant' && isDefault) {
      const t = constantNodeValue(node);
      if (t && node.outputs[0]) constants.set(node.outputs[0], t);
    }
    let undecided = false;
    node.outputs.forEach((name, k) => {
      if (!name) return;
      const info = merge(outs[k], hints.get(name));
      if (info) types.set(name, info);
      if (!info?.shape) undecided = true;
    });
    if (undecided) {
      const u = { node: node.name, opType: node.opType, reason: reason ?? ctx.reason ?? 'output shape not decided' };
      unknown.push(u);
      options.onUnknown?.(u);
    }
  }
  return { types, unknown };
}

function merge(inferred: TensorInfo | undefined, hint: TensorInfo | undefined): TensorInfo | undefined {
  if (!inferred) return hint;
  if (!hint || hint.dtype !== inferred.dtype || !hint.shape) return inferred;
  if (!inferred.shape) return { ...inferred, shape: [...hint.shape] };
  if (inferred.shape.length !== hint.shape.length) return inferred;
  const shape: Dim[] = inferred.shape.map((d, i) => d ?? hint.shape![i]!);
  return { ...inferred, shape };
}

class Context implements RuleContext {
  reason: string | undefined;
  constructor(
    readonly node: Node,
    readonly opset: number,
    readonly dims: DimAlgebra,
    private readonly types: Map<string, TensorInfo>,
    private readonly constants: Map<string, Tensor>,
  ) {}

  has(i: number): boolean {
    return !!this.node.inputs[i];
  }

  input(i: number): TensorInfo | undefined {
    const n = this.node.inputs[i];
    return n ? this.types.get(n) : undefined;
  }

  need(i: number): TensorInfo {
    const t = this.input(i);
    if (!t) fail(this.has(i) ? `input ${i} '${this.node.inputs[i]}' has no known type` : `input ${i} is missing`);
    return t;
  }

  needShape(i: number): Dim[] {
    const t = this.need(i);
    if (!t.shape) fail(`input ${i} '${this.node.inputs[i]}' has no known shape`);
    return t.shape;
  }

  constant(i: number): Tensor | undefined {
    const n = this.node.inputs[i];
    return n ? this.constants.get(n) : undefined;
  }

  values(i: number): Dim[] | undefined {
    const t = this.input(i);
    if (t?.value) return t.value;
    const c = this.constant(i);
    if (c && c.dtype !== 'string' && c.size <= MAX_VALUES) return c.toNumbers();
    return undefined;
  }

  ints(i: number): number[] | undefined {
    const v = this.values(i);
    return v && v.every((d): d is number => typeof d === 'number') ? v : undefined;
  }

  noShape(reason: string): undefined {
    this.reason ??= reason;
    return undefined;
  }
}
