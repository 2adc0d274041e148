import { describe, expect, it } from 'vitest';
import { createModel, type Model } from '../ir/graph.js';
import { createRegistry } from '../registry/registry.js';
import { quantizeModel } from '../pipeline/quantize.js';
import { resolveOptions } from '../pipeline/defaults.js';
import { TinyGraph } from '../annotate/test-support/tinyGraph.js';
import { catchQtkError, catchQtkRejection } from '../test-support/expectQtkError.js';
import { tinyBackend } from '../test-support/tinyBackend.js';
import type { BackendPlugin } from './backend.js';
import { policyFromHandlers } from './handlerPolicy.js';
import { checkBackend, resolveBackend } from './resolveBackend.js';

/** x [2,8] → MatMul (w [8,4]) → y. */
function matMulModel(): Model {
  const t = new TinyGraph();
  t.input('x', [2, 8]);
  t.node('mm', 'MatMul', ['x', t.floats('w', [8, 4], [0.5, -0.25, 1])], ['y']);
  t.output('y');
  return createModel(t.graph, 21);
}

describe('resolveBackend', () => {
  it('returns a backend object as given, and a registered one by name', () => {
    const reg = createRegistry();
    reg.register(tinyBackend);
    expect(resolveBackend(tinyBackend)).toBe(tinyBackend);
    expect(resolveBackend('tiny-test', reg)).toBe(tinyBackend);
  });

  it('refuses no backend with E_OPTION saying how to pass one', () => {
    const e = catchQtkError(() => resolveBackend(undefined));
    expect([e.code, e.where.option]).toEqual(['E_OPTION', 'backend']);
    expect(e.message).toMatch(/no backend given.*\{ backend \}/);
  });

  it('refuses a name nobody registered, listing the registered backends', () => {
    const reg = createRegistry();
    reg.register(tinyBackend);
    const e = catchQtkError(() => resolveBackend('tensorrt', reg));
    expect(e.code).toBe('E_OPTION');
    expect(e.message).toBe("no backend named 'tensorrt' is registered; registered backends: tiny-test");
    expect(catchQtkError(() => resolveBackend('x', createRegistry())).message).toMatch(/registered backends: none$/);
  });

  it.each([
    ['a non-object', 42, /the backend is not an object/],
    ['another kind', { ...tinyBackend, kind: 'executor' }, /backend 'tiny-test' has kind "executor", not 'backend'/],
    ['no policy', { ...tinyBackend, policy: undefined }, /backend 'tiny-test' has no placement policy/],
    ['writers that are not an object', { ...tinyBackend, writers: 7 }, /backend 'tiny-test' has writers that are not an object/],
    ['an optionSpec without toBackendOptions', { ...tinyBackend, optionSpec: { title: 't', fields: [] } }, /backend 'tiny-test' has an optionSpec without fields and toBackendOptions/],
    ['a quantize that is not a function', { ...tinyBackend, quantize: 'yes' }, /backend 'tiny-test' has a quantize that is not a function/],
  ])('refuses an object with %s, naming what is missing', (_, value, message) => {
    const e = catchQtkError(() => checkBackend(value as unknown as BackendPlugin));
    expect(e.code).toBe('E_OPTION');
    expect(e.message).toMatch(message);
  });
});

describe('policyFromHandlers', () => {
  it('lists the op types of its handlers and refuses an op type claimed twice (E_PLUGIN)', () => {
    const h = { opTypes: ['Conv', 'MatMul'], annotate: () => undefined };
    expect(policyFromHandlers([h]).opTypes).toEqual(['Conv', 'MatMul']);
    const e = catchQtkError(() => policyFromHandlers([h, { opTypes: ['MatMul'], annotate: () => undefined }]));
    expect([e.code, e.message]).toEqual(['E_PLUGIN', "op type 'MatMul' has two placement handlers"]);
  });
});

describe('quantizeModel and its backend', () => {
  it('refuses to run without a backend (E_OPTION naming the backend field)', async () => {
    const e = await catchQtkRejection(quantizeModel(matMulModel(), { mode: 'dynamic' }));
    expect([e.code, e.where.option]).toEqual(['E_OPTION', 'backend']);
  });

  it('takes a backend by name from ctx.registry', async () => {
    const registry = createRegistry();
    registry.register(tinyBackend);
    const { report } = await quantizeModel(matMulModel(), { mode: 'dynamic' }, { backend: 'tiny-test', registry });
    expect(report.quantized.map((n) => n.name)).toEqual(['mm']);
    const e = await catchQtkRejection(quantizeModel(matMulModel(), { mode: 'dynamic' }, { backend: 'nope', registry }));
    expect(e.message).toMatch(/no backend named 'nope'/);
  });

  it("fills unset options from the backend's defaults, under the user's", async () => {
    const perTensor: BackendPlugin = { ...tinyBackend, defaults: { activationType: 'uint16', perChannel: false } };
    expect(resolveOptions({}, perTensor.defaults)).toMatchObject({ activationType: 'uint16', perChannel: false });
    expect(resolveOptions({ activationType: 'int8' }, perTensor.defaults).activationType).toBe('int8');
    const given = await quantizeModel(matMulModel(), { mode: 'dynamic', perChannel: true }, { backend: perTensor });
    const unset = await quantizeModel(matMulModel(), { mode: 'dynamic' }, { backend: perTensor });
    expect([given.report.options.perChannel, unset.report.options.perChannel]).toEqual([true, false]);
  });

  it('refuses a format the backend has no writer for (E_OPTION on format)', async () => {
    const qdqOnly: BackendPlugin = { ...tinyBackend, writers: {} };
    const e = await catchQtkRejection(quantizeModel(matMulModel(), { format: 'qoperator' }, { backend: qdqOnly }));
    expect([e.code, e.where.option, e.message]).toEqual(['E_OPTION', 'format', "option format='qoperator': the backend writes qdq only"]);
  });

  it("refuses a result the backend's validate finds problems in (E_UNSUPPORTED naming the node)", async () => {
    const picky: BackendPlugin = { ...tinyBackend, validate: (m) => m.graph.nodes.filter((n) => n.opType === 'MatMulInteger').map((n) => ({ node: n.name, message: `${n.name}: no MatMulInteger here` })) };
    const e = await catchQtkRejection(quantizeModel(matMulModel(), { mode: 'dynamic' }, { backend: picky }));
    expect(e.code).toBe('E_UNSUPPORTED');
    expect(e.message).toMatch(/^backend 'tiny-test' cannot run the quantized model: .*no MatMulInteger here$/);
    expect(e.where.node).toBeDefined();
  });
});
