/** Models whose weights sit inside If branches (silero VAD v5 and legacy): dynamic, weight-only and static modes. */
import { expect } from 'vitest';
import { decodeModel, encodeModel, quantizeModel, Tensor, type Executor, type Model, type QuantMode } from '../../index.js';
import { ErrorAccumulator, STATIC_BODY_REASON } from '../../internal.js';
import { lazy, type SuiteContext } from '../context.js';
import { randomTensor } from '../random.js';

const FRAMES = 4;
const SAMPLES = 512;

/** A silero VAD and its recurrent state: the names of the state inputs, their outputs and shapes. */
interface Vad {
  version: 'v5' | 'legacy';
  /** Conv nodes, all inside If branches. */
  convs: number;
  state: Array<{ input: string; output: string; dims: number[] }>;
}

const VADS: Record<string, Vad> = {
  'silero VAD v5': { version: 'v5', convs: 12, state: [{ input: 'state', output: 'stateN', dims: [2, 1, 128] }] },
  'silero VAD legacy': {
    version: 'legacy', convs: 36,
    state: [{ input: 'h', output: 'hn', dims: [2, 1, 64] }, { input: 'c', output: 'cn', dims: [2, 1, 64] }],
  },
};

/**
 * Runs `model` over FRAMES random 512-sample frames at 16 kHz, carrying its state from frame
 * to frame as a caller would; returns the speech probability of each frame and the final state.
 */
async function runFrames(executor: Executor, model: Model, vad: Vad): Promise<{ probs: number[]; state: Float32Array[] }> {
  const s = await executor.createSession(model);
  try {
    let state = vad.state.map((v) => Tensor.zeros('float32', v.dims));
    const probs: number[] = [];
    for (let f = 0; f < FRAMES; f++) {
      const feeds: Record<string, Tensor> = { input: randomTensor([1, SAMPLES], 100 + f), sr: Tensor.int64([16000], []) };
      vad.state.forEach((v, i) => { feeds[v.input] = state[i]!; });
      const out = await s.run(feeds);
      probs.push((out.output!.data as Float32Array)[0]!);
      state = vad.state.map((v) => out[v.output]!);
    }
    return { probs, state: state.map((t) => t.data as Float32Array) };
  } finally {
    await s.release();
  }
}

/** Registers the subgraphs suite. */
export function subgraphsSuite(t: SuiteContext): void {
  for (const [label, vad] of Object.entries(VADS)) t.describe(`${label}: weights inside If branches`, (s) => branches(s, vad));
}

function branches(s: SuiteContext, vad: Vad): void {
  const executor = s.executor;
  const setup = lazy(async () => {
    const bytes = await s.fixtures.sileroVad(vad.version);
    const model = decodeModel(bytes);
    return { bytes, model, reference: await runFrames(executor, model, vad) };
  });

  // Lowest SQNR (dB) of the final recurrent state against float. The state carries every Conv
  // result through the LSTM, so it shows weight error better than the speech probability, which
  // stays near 0.01 on random frames. Measured: 8-bit Conv weights (dynamic) 30 dB on v5 and
  // 17.5 dB on legacy; 4-bit blocks of 32 (weight-only) about 9 dB on both. A branch with wrong
  // weights, a lost bias or a bad layout lands at or below 0 dB.
  const minSqnr: Record<string, number> = { dynamic: 15, 'weight-only': 6 };
  for (const mode of ['dynamic', 'weight-only'] as QuantMode[]) {
    s.it(`${mode}: quantizes all ${vad.convs} Convs of the branches, loads in the executor and keeps the state at SQNR ≥ ${minSqnr[mode]} dB, the speech probability within 0.02`, async () => {
      const { model, reference } = await setup();
      const { model: q, report } = await quantizeModel(model, { mode }, { backend: s.backend });
      expect(report.quantized.length).toBe(vad.convs);
      for (const n of report.quantized) {
        expect(n.opType).toBe('Conv');
        expect(n.graph).toMatch(/^If_\d+\.(then|else)_branch/);
      }
      const got = await runFrames(executor, q, vad);
      got.probs.forEach((p, i) => expect(Math.abs(p - reference.probs[i]!)).toBeLessThanOrEqual(0.02));
      const err = new ErrorAccumulator();
      got.state.forEach((s, i) => err.add(reference.state[i]!, s));
      expect(err.sqnrDb).toBeGreaterThanOrEqual(minSqnr[mode]!);
      // The weights did change: the float branches would match exactly.
      expect(err.sqnrDb).toBeLessThan(Infinity);
    });
  }

  s.it('dynamic: writes a smaller file than the float model', async () => {
    const { bytes, model } = await setup();
    const { model: q } = await quantizeModel(model, { mode: 'dynamic' }, { backend: s.backend });
    expect(encodeModel(q).model.byteLength).toBeLessThan(bytes.byteLength);
  });

  s.it('static: lists every branch Conv as float with the reason that bodies are not calibrated', async () => {
    const { model } = await setup();
    const vadFeeds = () => {
      const feeds: Record<string, Tensor> = { input: randomTensor([1, SAMPLES], 7), sr: Tensor.int64([16000], []) };
      for (const v of vad.state) feeds[v.input] = Tensor.zeros('float32', v.dims);
      return feeds;
    };
    const { report } = await quantizeModel(model, { method: 'minmax' }, { backend: s.backend, executor, calibration: [vadFeeds()] });
    const convs = report.float.filter((f) => f.opType === 'Conv');
    expect(convs.length).toBe(vad.convs);
    for (const c of convs) expect(c).toMatchObject({ reason: STATIC_BODY_REASON, graph: expect.stringMatching(/^If_\d+\./) });
  });
}
