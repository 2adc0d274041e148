/**
 * Values of a planned graph: element type, concrete dims, and either constant data (known
 * at planning) or a byte offset in the kernel memory assigned by the memory plan.
 */
import { QtkError, sizeOf, type Tensor as CoreTensor } from '@qtk/core';

/** Element types the engine computes with. */
export type DT = 'float32' | 'uint8' | 'int8' | 'int32' | 'int64' | 'bool';

/** Typed storage of one engine value. */
export type Arr = Float32Array | Uint8Array | Int8Array | Int32Array | BigInt64Array;

/** Bytes per element of an engine type. */
export function elemBytes(dt: DT): number {
  return dt === 'float32' || dt === 'int32' ? 4 : dt === 'int64' ? 8 : 1;
}

/** Zeroed storage of `n` elements of `dt`. */
export function allocArr(dt: DT, n: number): Arr {
  switch (dt) {
    case 'float32': return new Float32Array(n);
    case 'int32': return new Int32Array(n);
    case 'int64': return new BigInt64Array(n);
    case 'int8': return new Int8Array(n);
    default: return new Uint8Array(n);
  }
}

/** A typed view of `n` elements of `dt` at byte offset `off` of `buffer`. */
export function viewArr(dt: DT, buffer: ArrayBufferLike, off: number, n: number): Arr {
  switch (dt) {
    case 'float32': return new Float32Array(buffer, off, n);
    case 'int32': return new Int32Array(buffer, off, n);
    case 'int64': return new BigInt64Array(buffer, off, n);
    case 'int8': return new Int8Array(buffer, off, n);
    default: return new Uint8Array(buffer, off, n);
  }
}

/** A value of a plan. `data` is set for constants, `off` (≥ 0) for runtime values. */
export class Val {
  off = -1;
  /** Set by `dropData`: a constant whose JS data is gone (its readers keep packed copies). */
  private dropped = false;
  constructor(
    readonly name: string,
    readonly dtype: DT,
    readonly dims: readonly number[],
    private constData?: Arr,
  ) {}

  /** Data of a constant (undefined for runtime values and after `dropData`). */
  get data(): Arr | undefined {
    return this.constData;
  }

  /**
   * Frees the JS data of a constant every reader has packed into kernel memory; the value
   * stays a constant (dims and type) for re-planning from those cached copies.
   */
  dropData(): void {
    this.dropped = true;
    this.constData = undefined;
  }

  /** Element count. */
  get size(): number {
    return sizeOf(this.dims);
  }

  /** Storage bytes. */
  get bytes(): number {
    return this.size * elemBytes(this.dtype);
  }

  /** True when the value is known at planning time. */
  get isConst(): boolean {
    return this.constData !== undefined || this.dropped;
  }

  /** Element i of a constant as a number. */
  num(i: number): number {
    const d = this.data!;
    return typeof d[i] === 'bigint' ? Number(d[i]) : (d[i] as number);
  }

  /** All elements of a constant as numbers. */
  nums(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.num(i));
    return out;
  }
}

/** An engine constant from a core IR tensor; float64/float16 become float32, uint/bool become uint8. */
export function valFromCore(name: string, t: CoreTensor): Val {
  const dims = [...t.dims];
  switch (t.dtype) {
    case 'float32': case 'int32': case 'int64': case 'int8': case 'uint8': case 'bool':
      return new Val(name, t.dtype, dims, t.data as Arr);
    case 'float64': case 'float16': case 'bfloat16':
      return new Val(name, 'float32', dims, t.toFloat32());
    case 'int16': case 'uint16': case 'uint32':
      return new Val(name, 'int32', dims, Int32Array.from(t.toNumbers()));
    default:
      throw new QtkError('E_UNSUPPORTED', `initializer '${name}' has element type ${t.dtype}, which @qtk/wasm does not run`, { tensor: name });
  }
}

