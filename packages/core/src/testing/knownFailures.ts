/**
 * Known failures of an executor as typed data: which shared test (or conformance case)
 * it cannot pass yet, and why. A listed test still runs and must still fail, so a fix
 * shows up as a test to take off the list; nothing is matched by substring.
 */
import { QtkError } from '../errors/QtkError.js';

/**
 * Why an executor fails a test. Examples: `{ kind: 'missing-op', op: 'If' }`,
 * `{ kind: 'unsupported-dtype', op: 'Cast', dtype: 'float16' }`,
 * `{ kind: 'runtime-dialect', op: 'MatMulNBits', domain: 'com.microsoft' }`.
 */
export type FailureReason =
  | { readonly kind: 'missing-op'; readonly op: string; readonly note?: string }
  | { readonly kind: 'unsupported-dtype'; readonly op: string; readonly dtype: string }
  | { readonly kind: 'unsupported-attribute'; readonly op: string; readonly attribute: string; readonly note?: string }
  | { readonly kind: 'unsupported-form'; readonly op: string; readonly note: string }
  | { readonly kind: 'opset'; readonly op: string; readonly opset: number; readonly minimum: number }
  | { readonly kind: 'runtime-dialect'; readonly op: string; readonly domain: string }
  | { readonly kind: 'numerics'; readonly note: string };

/**
 * One known failure of a shared suite. `test` is the path of a test or of a whole
 * describe block, its titles joined by ' > ' from the suite id down, e.g.
 * `'subgraphs > silero VAD v5: weights inside If branches'`. `run: 'skip'` does not run
 * it at all (for what cannot even be set up, or would take too long to fail); the
 * default runs it and expects it to fail.
 */
export interface KnownFailure {
  readonly test: string;
  readonly reason: FailureReason;
  readonly run?: 'expect-failure' | 'skip';
}

/** One line saying why: `missing-op If`, `unsupported-dtype Cast float16`. */
export function formatFailureReason(r: FailureReason): string {
  switch (r.kind) {
    case 'missing-op': return `missing-op ${r.op}${r.note ? ` (${r.note})` : ''}`;
    case 'unsupported-dtype': return `unsupported-dtype ${r.op} ${r.dtype}`;
    case 'unsupported-attribute': return `unsupported-attribute ${r.op}.${r.attribute}${r.note ? ` (${r.note})` : ''}`;
    case 'unsupported-form': return `unsupported-form ${r.op} (${r.note})`;
    case 'opset': return `opset ${r.op} at opset ${r.opset} (${r.minimum} or newer runs)`;
    case 'runtime-dialect': return `runtime-dialect ${r.domain}.${r.op}`;
    case 'numerics': return `numerics (${r.note})`;
  }
}

/** Known failures looked up by test path, remembering which entries matched a test. */
export class KnownFailureList {
  readonly #entries: readonly KnownFailure[];
  readonly #matched = new Set<KnownFailure>();

  /** Throws E_OPTION naming the entry when two entries name the same path. */
  constructor(entries: readonly KnownFailure[] = []) {
    const seen = new Set<string>();
    for (const e of entries) {
      if (seen.has(e.test)) throw new QtkError('E_OPTION', `known failure '${e.test}' is listed twice`, { option: 'knownFailures' });
      seen.add(e.test);
    }
    this.#entries = entries;
  }

  /** The entry naming `path` or a describe block above it (whole ' > ' segments), if any. */
  lookup(path: string): KnownFailure | undefined {
    const hit = this.#entries.find((e) => path === e.test || path.startsWith(`${e.test} > `));
    if (hit) this.#matched.add(hit);
    return hit;
  }

  /** Entries that matched no registered test so far (stale or misspelt paths). */
  unmatched(): KnownFailure[] {
    return this.#entries.filter((e) => !this.#matched.has(e));
  }
}
