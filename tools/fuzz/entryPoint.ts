/**
 * The shape of an entry point a fuzz campaign drives: a name, a description for the
 * report, the seed groups it draws from and a `run` that returns or throws.
 */
import type { FuzzCase } from './cases.js';

/** An entry point under fuzz. */
export interface EntryPoint {
  name: string;
  /** What it exercises, for the campaign report. */
  description: string;
  /** Seed groups it draws cases from (default all). */
  groups?: readonly string[];
  run(c: FuzzCase): Promise<void>;
}
