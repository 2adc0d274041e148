/**
 * NNCF's hardware-fused patterns for the ONNX backend (`nncf/onnx/hardware/fused_patterns.py`):
 * runs of ops the runtime executes as one kernel (Conv+BN+ReLU, MatMul+bias Add, Add+ReLU,
 * GELU, ...). Inside a fused unit no quantizer is placed; the unit's inputs are those of its
 * first op, its output that of its last. Matching follows NNCF's rules: patterns are tried
 * longest first, a node joins at most one unit, and a match is strict: the first op feeds
 * only the unit, the last op reads only from it, the ops between do both, and the matched
 * ops have no data edges between them the pattern lacks.
 */
import type { Node } from '@qtk/core';
import type { FlowGraph } from './flowGraph.js';

/** Ops fused together: `nodes` in data order, the first (`head`) and the last (`tail`). */
export interface FusedUnit {
  readonly nodes: readonly Node[];
  readonly head: Node;
  readonly tail: Node;
  /** NNCF's name of the pattern, or 'single' for a node no pattern took. */
  readonly pattern: string;
}

/** Op groups of the chain patterns (NNCF's ONNX metatype groups). */
const LINEAR = new Set(['Conv', 'ConvTranspose', 'DeformConv', 'Gemm', 'MatMul']);
const ARITHMETIC = new Set(['Add', 'Sum', 'Sub', 'Mul', 'Div']);
const ATOMIC_ACTIVATIONS = new Set(['Relu', 'Clip', 'LeakyRelu', 'ThresholdedRelu', 'Elu', 'PRelu', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Selu']);

/** A step of a chain pattern: one op group, or a two-op scale-shift (Mul→Add) or shift-scale (Add→Mul). */
type Token = 'LINEAR' | 'ARITHMETIC' | 'ACTIVATION' | 'BATCH_NORM' | 'SQUEEZE' | 'SCALE_SHIFT' | 'SHIFT_SCALE';

/** NNCF's chain patterns by name. */
const CHAINS: ReadonlyArray<readonly [string, readonly Token[]]> = [
  ['activations_batch_norm', ['ACTIVATION', 'BATCH_NORM']],
  ['activations_scale_shift', ['ACTIVATION', 'SCALE_SHIFT']],
  ['arithmetic_batch_norm', ['ARITHMETIC', 'BATCH_NORM']],
  ['arithmetic_activations', ['ARITHMETIC', 'ACTIVATION']],
  ['arithmetic_scale_shift', ['ARITHMETIC', 'SCALE_SHIFT']],
  ['arithmetic_batch_norm_activations', ['ARITHMETIC', 'BATCH_NORM', 'ACTIVATION']],
  ['arithmetic_scale_shift_activations', ['ARITHMETIC', 'SCALE_SHIFT', 'ACTIVATION']],
  ['arithmetic_activations_batch_norm', ['ARITHMETIC', 'ACTIVATION', 'BATCH_NORM']],
  ['arithmetic_activations_scale_shift', ['ARITHMETIC', 'ACTIVATION', 'SCALE_SHIFT']],
  ['batch_norm_activations', ['BATCH_NORM', 'ACTIVATION']],
  ['scale_shift_activations', ['SCALE_SHIFT', 'ACTIVATION']],
  ['linear_arithmetic', ['LINEAR', 'ARITHMETIC']],
  ['linear_batch_norm', ['LINEAR', 'BATCH_NORM']],
  ['linear_activations', ['LINEAR', 'ACTIVATION']],
  ['linear_batch_norm_activations', ['LINEAR', 'BATCH_NORM', 'ACTIVATION']],
  ['linear_scale_shift_activations', ['LINEAR', 'SCALE_SHIFT', 'ACTIVATION']],
  ['linear_activations_batch_norm', ['LINEAR', 'ACTIVATION', 'BATCH_NORM']],
  ['linear_activations_scale_shift', ['LINEAR', 'ACTIVATION', 'SCALE_SHIFT']],
  ['linear_batch_norm_scale_shift_activations', ['LINEAR', 'BATCH_NORM', 'SCALE_SHIFT', 'ACTIVATION']],
  ['linear_squeeze_activations', ['LINEAR', 'SQUEEZE', 'ACTIVATION']],
  ['linear_squeeze_arithmetic_activations', ['LINEAR', 'SQUEEZE', 'ARITHMETIC', 'ACTIVATION']],
  ['batch_norm_scale_shift_activations', ['BATCH_NORM', 'SCALE_SHIFT', 'ACTIVATION']],
  ['linear_arithmetic_activations', ['LINEAR', 'ARITHMETIC', 'ACTIVATION']],
  ['linear_shift_scale', ['LINEAR', 'SHIFT_SCALE']],
  ['linear_arithmetic_activations_arithmetic', ['LINEAR', 'ARITHMETIC', 'ACTIVATION', 'ARITHMETIC']],
  ['linear_scale_shift', ['LINEAR', 'SCALE_SHIFT']],
  ['scale_shift', ['SCALE_SHIFT']],
  ['shift_scale', ['SHIFT_SCALE']],
];

/** A candidate match: its ops in data order, and the value outside it that feeds it (composite activations). */
interface Candidate {
  readonly nodes: Node[];
  /** Producer of the value a composite pattern reads twice (part of the match for strictness, not of the unit). */
  readonly feeder?: Node;
}

/** Nodes of a pattern (how NNCF orders patterns: longest first). */
function tokenSize(t: Token): number {
  return t === 'SCALE_SHIFT' || t === 'SHIFT_SCALE' ? 2 : 1;
}

/** The sole run-time value `node` writes, when it writes one. */
function soleOutput(node: Node): string | undefined {
  const outs = node.outputs.filter((o) => o);
  return outs.length === 1 ? outs[0] : undefined;
}

/** Nodes reading `node`'s output, when it has one output and is not a graph output. */
function successors(flow: FlowGraph, node: Node): Node[] {
  const out = soleOutput(node);
  return out === undefined ? [] : flow.consumers(out);
}

/** The node of group `test` reading `value` as its only reader; undefined otherwise. */
function onlyReader(flow: FlowGraph, value: string, test: (n: Node) => boolean): Node | undefined {
  const readers = flow.consumers(value);
  return readers.length === 1 && test(readers[0]!) ? readers[0] : undefined;
}

const isOp = (types: ReadonlySet<string> | readonly string[]) => (n: Node): boolean =>
  n.domain === '' && (types instanceof Set ? types.has(n.opType) : (types as readonly string[]).includes(n.opType));

/** Ops of `token` starting at `first` (a reader of the previous step's output, or the match's start). */
function tokenNodes(flow: FlowGraph, token: Token, first: Node): Node[] | undefined {
  const one = (ok: (n: Node) => boolean) => (ok(first) ? [first] : undefined);
  switch (token) {
    case 'LINEAR': return one(isOp(LINEAR));
    case 'ARITHMETIC': return one(isOp(ARITHMETIC));
    case 'ACTIVATION': return one(isOp(ATOMIC_ACTIVATIONS));
    case 'BATCH_NORM': return one(isOp(['BatchNormalization']));
    case 'SQUEEZE': return one(isOp(['Squeeze']));
    case 'SCALE_SHIFT':
    case 'SHIFT_SCALE': {
      const [a, b] = token === 'SCALE_SHIFT' ? [['Mul'], ['Add', 'Sub']] : [['Add', 'Sub'], ['Mul', 'Div']];
      const out = isOp(a)(first) ? soleOutput(first) : undefined;
      const second = out === undefined ? undefined : onlyReader(flow, out, isOp(b));
      return second ? [first, second] : undefined;
    }
  }
}

/** The chain `tokens` starting at `start`, before the strictness check. */
function matchChain(flow: FlowGraph, tokens: readonly Token[], start: Node): Candidate | undefined {
  const nodes: Node[] = [];
  let next: Node | undefined = start;
  for (let i = 0; i < tokens.length; i++) {
    if (!next) return undefined;
    const got = tokenNodes(flow, tokens[i]!, next);
    if (!got) return undefined;
    nodes.push(...got);
    if (i + 1 < tokens.length) {
      const out = soleOutput(got[got.length - 1]!);
      const readers = out === undefined ? [] : flow.consumers(out);
      next = readers.length === 1 ? readers[0] : undefined;
    }
  }
  return { nodes };
}

/** GELU as exported: x → Div|Mul → Erf → Add|Sub → Mul|Div, the last also reading x. */
function matchGelu(flow: FlowGraph, start: Node): Candidate | undefined {
  if (!isOp(['Div', 'Mul'])(start)) return undefined;
  const x = flow.liveInputs(start);
  if (x.length !== 1) return undefined;
  const xv = x[0]![1];
  const erf = onlyReader(flow, soleOutput(start) ?? '', isOp(['Erf']));
  const add = erf && onlyReader(flow, soleOutput(erf) ?? '', isOp(['Add', 'Sub']));
  const mul = add && onlyReader(flow, soleOutput(add) ?? '', isOp(['Mul', 'Div']));
  if (!mul || !mul.inputs.includes(xv)) return undefined;
  const feeder = flow.producer(xv);
  return { nodes: [start, erf!, add!, mul], ...(feeder && { feeder }) };
}

/** Swish: x → Sigmoid|HardSigmoid → Mul, the Mul also reading x. */
function matchSwish(flow: FlowGraph, start: Node, sigmoid: string): Candidate | undefined {
  if (!isOp([sigmoid])(start)) return undefined;
  const x = flow.liveInputs(start);
  if (x.length !== 1) return undefined;
  const mul = onlyReader(flow, soleOutput(start) ?? '', isOp(['Mul']));
  if (!mul || !mul.inputs.includes(x[0]![1])) return undefined;
  const feeder = flow.producer(x[0]![1]);
  return { nodes: [start, mul], ...(feeder && { feeder }) };
}

/** HSwish: any op → Add → Relu|Clip → Mul (also reading the op's output) [→ Div]; the op belongs to the match. */
function matchHSwish(flow: FlowGraph, start: Node, withDiv: boolean): Candidate | undefined {
  const x = soleOutput(start);
  if (x === undefined) return undefined;
  const readers = flow.consumers(x);
  const add = readers.find(isOp(['Add']));
  const relu = add && onlyReader(flow, soleOutput(add) ?? '', isOp(['Relu', 'Clip']));
  const mul = relu && onlyReader(flow, soleOutput(relu) ?? '', isOp(['Mul']));
  if (!mul || !mul.inputs.includes(x)) return undefined;
  if (!withDiv) return { nodes: [start, add!, relu!, mul] };
  const div = onlyReader(flow, soleOutput(mul) ?? '', isOp(['Div']));
  return div ? { nodes: [start, add!, relu!, mul, div] } : undefined;
}

/**
 * True when `c` is a strict, induced match: the first op feeds only the match, the last
 * reads only from it, inner ops do both; the feeder of a composite pattern counts as inside
 * and is not checked.
 */
function isStrict(flow: FlowGraph, c: Candidate, edges: ReadonlySet<string>): boolean {
  const inside = new Set<Node>(c.nodes);
  if (c.feeder) inside.add(c.feeder);
  const first = c.nodes[0]!;
  const last = c.nodes[c.nodes.length - 1]!;
  for (const n of c.nodes) {
    const preds = flow.liveInputs(n).map(([, v]) => flow.producer(v));
    const externalPred = preds.some((p) => p === undefined || !inside.has(p));
    const out = soleOutput(n);
    const externalSucc = n.outputs.some((o) => o && flow.isGraphOutput(o)) || (n.outputs.filter((o) => o).length > 1)
      || (out !== undefined && flow.consumers(out).some((s) => !inside.has(s)));
    if (n === first && c.feeder === undefined && externalSucc) return false;
    if (n === last && externalPred) return false;
    if (n !== first && n !== last && (externalPred || externalSucc)) return false;
    if (n === first && c.feeder !== undefined && externalSucc) return false;
  }
  // Induced: every data edge between matched ops is one the pattern has.
  for (const n of c.nodes) {
    for (const [, v] of flow.liveInputs(n)) {
      const p = flow.producer(v);
      if (p && inside.has(p) && !edges.has(`${p.name}\u0000${n.name}\u0000${v}`)) return false;
    }
  }
  return true;
}

/** The data edges of a chain candidate (each op reads the previous one), plus those of composites. */
function candidateEdges(flow: FlowGraph, c: Candidate, chain: boolean): Set<string> {
  const inside = new Set<Node>(c.nodes);
  if (c.feeder) inside.add(c.feeder);
  const edges = new Set<string>();
  c.nodes.forEach((n, i) => {
    for (const [, v] of flow.liveInputs(n)) {
      const p = flow.producer(v);
      if (!p || !inside.has(p)) continue;
      // A chain links each op to the one before it (twice for linear_arithmetic's x + x); composites keep their own edges.
      if (!chain || p === c.nodes[i - 1]) edges.add(`${p.name}\u0000${n.name}\u0000${v}`);
    }
  });
  return edges;
}

/** A pattern NNCF fuses: its name, node count (for the longest-first order) and matcher. */
interface PatternMatcher {
  readonly name: string;
  readonly size: number;
  match(flow: FlowGraph, start: Node): Candidate | undefined;
  readonly chain: boolean;
}

const ALL_PATTERNS: PatternMatcher[] = [
  ...CHAINS.map(([name, tokens]): PatternMatcher => ({
    name, size: tokens.reduce((s, t) => s + tokenSize(t), 0), chain: true,
    match: (flow, start) => matchChain(flow, tokens, start),
  })),
  { name: 'gelu', size: 4, chain: false, match: matchGelu },
  { name: 'swish_with_sigmoid', size: 2, chain: false, match: (f, s) => matchSwish(f, s, 'Sigmoid') },
  { name: 'swish_with_hard_sigmoid', size: 2, chain: false, match: (f, s) => matchSwish(f, s, 'HardSigmoid') },
  { name: 'hswish_activation', size: 5, chain: false, match: (f, s) => matchHSwish(f, s, true) },
  { name: 'hswish_activation_without_denominator', size: 4, chain: false, match: (f, s) => matchHSwish(f, s, false) },
];

/** The patterns, longest first (a stable sort keeps NNCF's listing order among equals). */
const PATTERNS: readonly PatternMatcher[] = [...ALL_PATTERNS].sort((a, b) => b.size - a.size);

/**
 * The fused units of `flow`: every run-time node maps to its unit (a node no pattern takes
 * is a unit of its own, pattern 'single'). Patterns are tried longest first over the nodes
 * in topological order; a node joins the first unit that takes it.
 */
export function findFusedUnits(flow: FlowGraph): Map<Node, FusedUnit> {
  const units = new Map<Node, FusedUnit>();
  for (const p of PATTERNS) {
    for (const start of flow.nodes) {
      if (units.has(start)) continue;
      const c = p.match(flow, start);
      if (!c || c.nodes.length < 2 || c.nodes.some((n) => units.has(n))) continue;
      if (!isStrict(flow, c, candidateEdges(flow, c, p.chain))) continue;
      const unit: FusedUnit = { nodes: c.nodes, head: c.nodes[0]!, tail: c.nodes[c.nodes.length - 1]!, pattern: p.name };
      for (const n of c.nodes) units.set(n, unit);
    }
  }
  for (const n of flow.nodes) if (!units.has(n)) units.set(n, { nodes: [n], head: n, tail: n, pattern: 'single' });
  return units;
}

/**
 * NNCF's input patterns: a graph input read only by an Add or Mul (input_processing), a
 * Mul→Add (input_scale_shift) or an Add|Sub→Mul|Div (input_shift_scale) with constant
 * operands. The ops fuse with the input: quantizers asked for at their inputs move to after them.
 */
export function inputPreprocessing(flow: FlowGraph, input: string): Node[] | undefined {
  const readers = flow.consumers(input);
  if (readers.length !== 1 || flow.readers(input).length !== 1) return undefined;
  const first = readers[0]!;
  const constOperand = (n: Node) => flow.liveInputs(n).length === 1;
  if (!isOp(['Add', 'Mul', 'Sub'])(first) || !constOperand(first)) return undefined;
  const out = soleOutput(first);
  const second = out === undefined || flow.isGraphOutput(out) ? undefined
    : onlyReader(flow, out, isOp(first.opType === 'Mul' ? ['Add', 'Sub'] : ['Mul', 'Div']));
  if (second && constOperand(second)) return [first, second];
  return first.opType === 'Sub' ? undefined : [first];
}
