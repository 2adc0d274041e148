/**
 * Arithmetic on dimensions that may be symbolic. A symbolic result is a canonical
 * expression string, so the same computation on the same symbols gives the same name:
 * `add('H', -1)` is `'H-1'`, `floorDiv('H', 2)` is `'floor(H/2)'`, `mul('N', 'T')` is `'N*T'`.
 * Unknown (`null`) operands give `null`. Strings the algebra did not make are atoms.
 */
import type { Dim } from '../ir/graph.js';

/** A polynomial over atoms: monomial key (sorted atoms joined by '\u0001', '' for 1) → integer coefficient. */
type Poly = Map<string, number>;

const SEP = '\u0001';

function wrap(atom: string): string {
  return /^[\w.:]+$/.test(atom) || /^(floor|ceil)\(.*\)$/.test(atom) ? atom : `(${atom})`;
}

/** Symbolic dimension arithmetic; one instance per inference run remembers the expressions it made. */
export class DimAlgebra {
  private readonly made = new Map<string, Poly>();

  private poly(d: number | string): Poly {
    if (typeof d === 'number') return new Map(d === 0 ? [] : [['', d]]);
    return this.made.get(d) ?? new Map([[d, 1]]);
  }

  private dim(p: Poly): Dim {
    const terms = [...p].filter(([, c]) => c !== 0).sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0));
    if (terms.length === 0) return 0;
    if (terms.length === 1 && terms[0]![0] === '') return terms[0]![1];
    if (terms.length === 1 && terms[0]![1] === 1 && !terms[0]![0].includes(SEP)) return terms[0]![0];
    let s = '';
    for (const [key, c] of terms) {
      const body = key === '' ? String(Math.abs(c)) : (Math.abs(c) === 1 ? '' : `${Math.abs(c)}*`) + key.split(SEP).map(wrap).join('*');
      s += s === '' ? (c < 0 ? `-${body}` : body) : `${c < 0 ? '-' : '+'}${body}`;
    }
    this.made.set(s, new Map(terms));
    return s;
  }

  /** `a + b`. */
  add(a: Dim, b: Dim): Dim {
    if (a === null || b === null) return null;
    if (typeof a === 'number' && typeof b === 'number') return a + b;
    const p = new Map(this.poly(a));
    for (const [k, c] of this.poly(b)) p.set(k, (p.get(k) ?? 0) + c);
    return this.dim(p);
  }

  /** `a - b`. */
  sub(a: Dim, b: Dim): Dim {
    if (b === null) return null;
    return this.add(a, this.mul(b, -1));
  }

  /** `a * b`. */
  mul(a: Dim, b: Dim): Dim {
    if (a === 0 || b === 0) return 0;
    if (a === null || b === null) return null;
    if (typeof a === 'number' && typeof b === 'number') return a * b;
    const p: Poly = new Map();
    for (const [ka, ca] of this.poly(a)) {
      for (const [kb, cb] of this.poly(b)) {
        const key = [...(ka ? ka.split(SEP) : []), ...(kb ? kb.split(SEP) : [])].sort().join(SEP);
        p.set(key, (p.get(key) ?? 0) + ca * cb);
      }
    }
    return this.dim(p);
  }

  /** Product of dims (1 for none). */
  product(dims: readonly Dim[]): Dim {
    let p: Dim = 1;
    for (const d of dims) p = this.mul(p, d);
    return p;
  }

  /** `floor(a / k)` for a positive integer `k`. */
  floorDiv(a: Dim, k: number): Dim {
    if (a === null || !(k > 0)) return null;
    if (typeof a === 'number') return Math.floor(a / k);
    if (k === 1) return a;
    const p = this.poly(a);
    if ([...p.values()].every((c) => c % k === 0)) return this.dim(new Map([...p].map(([key, c]) => [key, c / k])));
    return `floor(${wrap(a)}/${k})`;
  }

  /** `ceil(a / k)` for a positive integer `k`. */
  ceilDiv(a: Dim, k: number): Dim {
    if (typeof a === 'number') return Math.ceil(a / k);
    return this.floorDiv(this.add(a, k - 1), k);
  }

  /** `a / b` where the division is known to be exact (Reshape's -1); symbolic quotients cancel common factors. */
  divExact(a: Dim, b: Dim): Dim {
    if (a === null || b === null || b === 0) return null;
    if (typeof a === 'number' && typeof b === 'number') return a % b === 0 ? a / b : null;
    if (b === 1) return a;
    const pb = this.poly(b);
    if (pb.size === 1) {
      const [[kb, cb]] = [...pb] as [[string, number]];
      const atomsB = kb ? kb.split(SEP) : [];
      const out: Poly = new Map();
      let ok = true;
      for (const [ka, ca] of this.poly(a)) {
        const atoms = ka ? ka.split(SEP) : [];
        for (const x of atomsB) {
          const i = atoms.indexOf(x);
          if (i < 0) { ok = false; break; }
          atoms.splice(i, 1);
        }
        if (!ok || ca % cb !== 0) { ok = false; break; }
        out.set(atoms.join(SEP), ca / cb);
      }
      if (ok) return this.dim(out);
    }
    return `(${String(a)})/(${String(b)})`;
  }
}

/** True when two dims are known equal (same number or same symbol). */
export function sameDim(a: Dim, b: Dim): boolean {
  return a !== null && a === b;
}

/** Numpy broadcasting of two dims; `undefined` when they provably cannot broadcast. */
export function broadcastDim(a: Dim, b: Dim): Dim | undefined {
  if (a === 1) return b;
  if (b === 1) return a;
  if (a === b) return a;
  if (typeof a === 'number' && typeof b === 'number') return undefined;
  if (typeof a === 'number') return a;
  if (typeof b === 'number') return b;
  return null;
}

/** Numpy broadcasting of shapes; `undefined` when they cannot broadcast. */
export function broadcastShapes(shapes: readonly (readonly Dim[])[]): Dim[] | undefined {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: Dim[] = new Array(rank).fill(1);
  for (const s of shapes) {
    const off = rank - s.length;
    for (let i = 0; i < s.length; i++) {
      const d = broadcastDim(out[off + i]!, s[i]!);
      if (d === undefined) return undefined;
      out[off + i] = d;
    }
  }
  return out;
}

/** An axis in `[-rank, rank)` mapped to `[0, rank)`; `undefined` when out of range. */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}

/** True when every dim is a number. */
export function isStatic(shape: readonly Dim[] | undefined): shape is number[] {
  return shape !== undefined && shape.every((d) => typeof d === 'number');
}
