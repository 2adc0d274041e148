import { describe, expect, it } from 'vitest';
import { describeMachine, interestingFlags, parseCpuInfo } from './machine.js';

const CPUINFO = `processor\t: 0
vendor_id\t: GenuineIntel
model name\t: Intel(R) Xeon(R) Platinum 8480+
flags\t\t: fpu sse4_1 sse4_2 avx avx2 fma avx512f avx512_vnni amx_int8 amx_tile
processor\t: 1
model name\t: other
flags\t\t: fpu
`;

describe('machine description', () => {
  it('reads the first processor model and flags from /proc/cpuinfo text', () => {
    const p = parseCpuInfo(CPUINFO);
    expect(p.model).toBe('Intel(R) Xeon(R) Platinum 8480+');
    expect(p.flags).toContain('avx512_vnni');
    expect(p.flags).not.toEqual(['fpu']);
  });

  it('keeps only the ISA flags that matter, in a fixed order', () => {
    expect(interestingFlags(['amx_int8', 'fpu', 'avx2', 'avx_vnni', 'sse4_1'])).toEqual(['sse4_1', 'avx2', 'avx_vnni', 'amx_int8']);
  });

  it('describes a machine from given cpuinfo text, with Node version and core count', () => {
    const m = describeMachine(CPUINFO);
    expect(m.cpuModel).toBe('Intel(R) Xeon(R) Platinum 8480+');
    expect(m.isaFlags).toEqual(['sse4_1', 'sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512_vnni', 'amx_tile', 'amx_int8']);
    expect(m.node).toBe(process.version);
    expect(m.cores).toBeGreaterThan(0);
    expect(m.loadAverage).toHaveLength(3);
  });
});
