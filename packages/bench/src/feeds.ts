/**
 * Seeded input tensors for a model: shapes from the model's inputs (the first dim, when
 * symbolic, is the batch, and so is every dim of the same name elsewhere), values from a
 * fixed-seed generator, so every run of the benchmark feeds the same numbers. Sizes of
 * other symbolic dims come by name (`{ seq: 128 }`, `qtk bench --dim seq=128`) or from
 * per-input specs, which also give the values (uniform range, zeros, ones or a constant).
 */
import { allocData, QtkError, Tensor, type DType, type Dim, type Model } from '@qtk/core';
import { formatDims } from '@qtk/core/internal';

/** How one input is fed. */
export interface InputSpec {
  /** Dims, or dims for a batch size (default: the model's dims, first symbolic dim = batch). */
  dims?: readonly number[] | ((batch: number) => readonly number[]);
  /**
   * Values: uniform in `range` (default), all zeros, all ones, or one constant.
   * Default range: [-1, 1) for floats, [0, 100) for integers; integer inputs whose name
   * contains 'mask' default to ones.
   */
  fill?: 'uniform' | 'zeros' | 'ones' | number;
  /** Range [low, high) of uniform values (integers: whole numbers in it). */
  range?: readonly [number, number];
}

/** Input name → tensor. */
export type Feeds = Record<string, Tensor>;

const FLOATS = new Set<DType>(['float32', 'float64']);
const INTS = new Set<DType>(['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool']);

/** A small deterministic generator (LCG) of numbers in [0, 1). */
export function seededUniform(seed: number): () => number {
  let s = (seed >>> 0) ^ 0x9e3779b9;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Sizes of symbolic dims by name: `{ seq: 128 }`. */
export type DimSizes = Readonly<Record<string, number>>;

/** The named symbolic dims of a model's fed inputs: those at axis 0 (the batch) and the others. */
export function symbolicDims(model: Model): { batch: Set<string>; other: Set<string> } {
  const batch = new Set<string>();
  const other = new Set<string>();
  for (const vi of model.graph.inputs) {
    if (model.graph.initializers.has(vi.name) || vi.type?.kind !== 'tensor') continue;
    vi.type.shape?.forEach((d, axis) => { if (typeof d === 'string') (axis === 0 ? batch : other).add(d); });
  }
  for (const d of batch) other.delete(d);
  return { batch, other };
}

/**
 * The concrete dims of `input` at a batch size, per its spec or the model's declaration:
 * a symbolic first dim, and any dim named like one, is the batch; other symbolic dims
 * take their size from `sizes` by name. One left unset is E_SHAPE naming it and the flag.
 */
export function inputDims(model: Model, input: string, batch: number, spec?: InputSpec, sizes: DimSizes = {}): number[] {
  if (spec?.dims) return [...(typeof spec.dims === 'function' ? spec.dims(batch) : spec.dims)];
  const vi = model.graph.inputs.find((i) => i.name === input);
  if (!vi) throw new QtkError('E_GRAPH', `model has no input '${input}'`, { tensor: input });
  if (vi.type?.kind !== 'tensor' || !vi.type.shape) throw new QtkError('E_SHAPE', `input '${input}' declares no shape; give its dims in the model's input specs`, { tensor: input });
  const shape = vi.type.shape;
  const batchNames = symbolicDims(model).batch;
  // A fixed first dim is the batch unless a batch-named dim sits elsewhere (state [2, batch, 128]).
  const batchElsewhere = shape.some((d, axis) => axis > 0 && typeof d === 'string' && batchNames.has(d));
  return shape.map((d: Dim, axis: number) => {
    if (typeof d === 'number' && d >= 0) {
      if (batchElsewhere) return d;
      if (axis === 0 && batch !== d && d !== 1) throw new QtkError('E_SHAPE', `input '${input}' has a fixed batch dim of ${d}; batch ${batch} cannot be fed`, { tensor: input });
      if (axis === 0 && d === 1 && batch !== 1) throw new QtkError('E_SHAPE', `input '${input}' has a fixed batch dim of 1; batch ${batch} cannot be fed`, { tensor: input });
      return d;
    }
    if (axis === 0 || (typeof d === 'string' && batchNames.has(d))) return batch;
    if (typeof d === 'string' && sizes[d] !== undefined) return sizes[d];
    const where = `input '${input}' ${formatDims(shape)}`;
    if (typeof d === 'string') throw new QtkError('E_SHAPE', `${where} has symbolic dim '${d}' at axis ${axis} and nothing sets its size; give it with --dim ${d}=SIZE (qtk bench), or give --data samples of this input`, { tensor: input });
    throw new QtkError('E_SHAPE', `${where} has an unnamed dim at axis ${axis}, which --dim cannot set; give the input's dims in its input spec, or name the dim in the model`, { tensor: input });
  });
}

/**
 * Sizes of the named symbolic dims (not the batch) that `feeds` give the model's inputs:
 * `{ seq: 128 }` for `input_ids` [N,seq] fed [32,128].
 */
export function dimSizesOf(model: Model, feeds: Feeds): Record<string, number> {
  const out: Record<string, number> = {};
  const { other } = symbolicDims(model);
  for (const vi of model.graph.inputs) {
    const t = feeds[vi.name];
    if (!t || vi.type?.kind !== 'tensor') continue;
    vi.type.shape?.forEach((d, axis) => { if (typeof d === 'string' && other.has(d) && t.dims[axis] !== undefined) out[d] = t.dims[axis]!; });
  }
  return out;
}

/** Seeded feeds for every graph input of `model` at a batch size; `sizes` sets symbolic dims by name. */
export function seededFeeds(model: Model, batch: number, seed: number, specs: Readonly<Record<string, InputSpec>> = {}, sizes: DimSizes = {}): Feeds {
  const feeds: Feeds = {};
  const inits = model.graph.initializers;
  model.graph.inputs.forEach((vi, k) => {
    if (inits.has(vi.name)) return;
    const dtype = vi.type?.kind === 'tensor' ? vi.type.dtype : 'float32';
    if (!FLOATS.has(dtype) && !INTS.has(dtype)) throw new QtkError('E_DTYPE', `input '${vi.name}' is ${dtype}; only float and integer inputs can be generated`, { tensor: vi.name });
    const spec = specs[vi.name];
    const dims = inputDims(model, vi.name, batch, spec, sizes);
    const t = new Tensor(dtype, allocData(dtype, dims.reduce((a, b) => a * b, 1)), dims);
    const isFloat = FLOATS.has(dtype);
    const fill = spec?.fill ?? (!isFloat && /mask/i.test(vi.name) ? 'ones' : 'uniform');
    const [lo, hi] = spec?.range ?? (isFloat ? [-1, 1] : [0, dtype === 'bool' ? 2 : 100]);
    const next = seededUniform(seed * 7919 + k);
    for (let i = 0; i < t.size; i++) {
      const v = fill === 'zeros' ? 0 : fill === 'ones' ? 1 : typeof fill === 'number' ? fill : lo + (hi - lo) * next();
      t.set(i, isFloat ? v : Math.floor(v));
    }
    feeds[vi.name] = t;
  });
  return feeds;
}
