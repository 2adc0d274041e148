/**
 * Type tests of a backend's own options (compiled by `npm run typecheck` and every build,
 * never run): a `BackendPlugin<B>` passed to `quantizeModel` types `backendOptions` as `B`,
 * and its graph preparation reads them typed. Each `@ts-expect-error` line must be an error.
 */
import type { Model } from '../ir/graph.js';
import { quantizeModel } from '../pipeline/quantize.js';
import type { BackendPlugin } from './backend.js';

/** The options a backend package would declare. */
interface WideningOptions {
  convChannelMultiple?: number;
}

declare const model: Model;
declare const widening: BackendPlugin<WideningOptions>;
declare const plain: BackendPlugin;

// The preparation sees the options typed.
export const prepares = (b: BackendPlugin<WideningOptions>): void => {
  b.prepare?.apply(model.graph, { activationSpec: undefined!, weightSpec: undefined!, isSkipped: () => false, backendOptions: { convChannelMultiple: 8 } });
  b.prepare?.apply(model.graph, {
    activationSpec: undefined!, weightSpec: undefined!, isSkipped: () => false,
    // @ts-expect-error the preparation's context holds this backend's options only
    backendOptions: { channels: 8 },
  });
};

export async function calls(): Promise<void> {
  await quantizeModel(model, { mode: 'dynamic', backendOptions: { convChannelMultiple: 8 } }, { backend: widening });
  // @ts-expect-error not an option of this backend
  await quantizeModel(model, { mode: 'dynamic', backendOptions: { convChannelMultipel: 8 } }, { backend: widening });
  // @ts-expect-error a backend without options of its own takes none
  await quantizeModel(model, { mode: 'dynamic', backendOptions: { convChannelMultiple: 8 } }, { backend: plain });
  // A backend given by name is not typed: its options are not either.
  await quantizeModel(model, { mode: 'dynamic' }, { backend: 'onnx-standard' });
}
