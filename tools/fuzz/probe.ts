/**
 * An entry point that misbehaves on purpose, so tests can check that the runner catches
 * each failure class: case index modulo 6 picks passing, a typed error, an untyped error,
 * a hang (a busy loop), a crash (the process exits) or runaway memory (buffers filled
 * until the RSS cap stops the child).
 * Example: case 3 of the probe never returns and is classified 'hang'.
 */
import { QtkError } from '@qtk/core';
import type { EntryPoint } from './entryPoint.js';

/** The outcome class case `index` of the probe is built to end in. */
export const PROBE_KINDS = ['ok', 'typed', 'untyped', 'hang', 'crash', 'memory'] as const;

/** The misbehaving entry point. */
export const probeEntry: EntryPoint = {
  name: 'probe',
  description: 'harness self-check: each failure class on purpose',
  groups: ['digits'],
  async run(c) {
    switch (PROBE_KINDS[c.index % PROBE_KINDS.length]) {
      case 'ok': return;
      case 'typed': throw new QtkError('E_ONNX_DECODE', 'probe: typed');
      case 'untyped': throw new TypeError('probe: untyped');
      case 'hang': for (;;);
      case 'crash': process.exit(3);
      case 'memory': {
        const kept: Buffer[] = [];
        for (;;) kept.push(Buffer.alloc(64 * 2 ** 20, 1));
      }
    }
  },
};
