import { describe, expect, it } from 'vitest';
import { runCampaign } from './runner.js';
import { PROBE_KINDS } from './probe.js';

describe('fuzz runner bounds', () => {
  it('catches each failure class of the probe entry point and goes on after a killed child', async () => {
    const results = await runCampaign({ entry: 'probe', seed: 1, cases: PROBE_KINDS.length + 1, timeoutMs: 1500, rssCapMb: 400 });
    expect(results.map((r) => r.outcome.kind)).toEqual([...PROBE_KINDS, 'ok']);
    expect(results[1]!.outcome.code).toBe('E_ONNX_DECODE');
    expect(results[5]!.outcome.name).toBe('rss cap');
  });
});
