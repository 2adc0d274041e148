/** Test helper: seeded pseudo-random floats (xorshift32) and common distributions. */

/** A seeded source of uniform, normal and Laplace samples. */
export function seeded(seed: number) {
  let s = seed >>> 0 || 0x9e3779b9;
  /** Uniform in (0, 1). */
  const uniform = (): number => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  /** Standard normal (Box-Muller). */
  const normal = (): number => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  /** Laplace with scale 1 (heavy-tailed relative to the normal). */
  const laplace = (): number => {
    const u = uniform() - 0.5;
    return -Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
  };
  /** `n` samples of `draw` as float32. */
  const fill = (n: number, draw: () => number): Float32Array => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = draw();
    return out;
  };
  return { uniform, normal, laplace, fill };
}
