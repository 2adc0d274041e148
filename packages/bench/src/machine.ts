/**
 * The machine a benchmark ran on: CPU model, cores, the instruction-set flags that decide
 * INT8 speed (AVX2, AVX-512 VNNI, AVX-VNNI, AMX), memory, load, OS and Node version.
 * Flags come from /proc/cpuinfo on Linux; elsewhere the list is empty.
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';

/** Flags worth reporting for INT8 and FP32 kernels, in display order. */
export const ISA_FLAGS = [
  'sse4_1', 'sse4_2', 'avx', 'avx2', 'fma', 'f16c', 'avx512f', 'avx512bw', 'avx512vl', 'avx512_vnni', 'avx512_bf16',
  'avx_vnni', 'amx_tile', 'amx_int8', 'amx_bf16', 'asimd', 'asimddp', 'i8mm', 'sve',
] as const;

/** What `describeMachine` records. */
export interface MachineInfo {
  cpuModel: string;
  /** Logical CPUs the OS reports. */
  cores: number;
  /** ISA flags of interest the CPU has (subset of ISA_FLAGS). */
  isaFlags: string[];
  memoryGiB: number;
  /** 1, 5 and 15-minute load averages when the run started. */
  loadAverage: number[];
  os: string;
  arch: string;
  node: string;
  /** Whether this engine validates a WebAssembly SIMD module. */
  wasmSimd: boolean;
}

/** CPU model and flags parsed from the text of /proc/cpuinfo (first processor). */
export function parseCpuInfo(text: string): { model?: string; flags: string[] } {
  let model: string | undefined;
  let flags: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^([^:]+?)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (model === undefined && (key === 'model name' || key === 'Model' || key === 'cpu model')) model = value.trim();
    if (flags.length === 0 && (key === 'flags' || key === 'Features')) flags = value.trim().split(/\s+/);
  }
  return { model, flags };
}

/** The ISA flags of interest among `flags`, in ISA_FLAGS order. */
export function interestingFlags(flags: readonly string[]): string[] {
  const have = new Set(flags);
  return ISA_FLAGS.filter((f) => have.has(f));
}

/** True when this engine accepts a module using a v128 SIMD instruction. */
export function hasWasmSimd(): boolean {
  // (module (func (result v128) v128.const i32x4 0 0 0 0))
  const bytes = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
  ]);
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

/** Describes this machine; `cpuinfo` overrides the text read from /proc/cpuinfo. */
export function describeMachine(cpuinfo?: string): MachineInfo {
  let text = cpuinfo;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      text = '';
    }
  }
  const parsed = parseCpuInfo(text);
  const cpus = os.cpus();
  return {
    cpuModel: parsed.model ?? cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    isaFlags: interestingFlags(parsed.flags),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    os: `${os.type()} ${os.release()}`,
    arch: process.arch,
    node: process.version,
    wasmSimd: hasWasmSimd(),
  };
}
