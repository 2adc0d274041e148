/**
 * The calibration cache of an explicitly quantized model: one entry per activation that a
 * QuantizeLinear quantizes, with the range its per-tensor scale covers on the activation
 * grid of the run (`scale * (qmax - qmin) / 2` for the zero point's type: 127 scales on
 * the narrow int8 grid [-127, 127], TensorRT's and the tensorrt backend's default, 127.5 on
 * [-128, 127]), as `cacheFromCalibration` reads a calibration state. TensorRT then clips at
 * the same absolute maximum as the model. On the narrow grid the cache scale is the Q/DQ
 * scale; on the full grid float32 rounding could move the scale a model quantized again
 * from the cache (`rangesFromCache`) gets by one unit in the last place, so of the float32
 * cache scales next to the exact one, the one that gives back the model's scale bit for bit
 * is taken.
 */
import { QtkError, computeQParams, quantRange, type GivenRange, type Model, type QuantType } from '@qtk/core';
import { cacheFromCalibration, type CacheHeader } from './cache/fromCalibration.js';
import type { CalibrationCache } from './cache/calibrationCache.js';

const bits = new DataView(new ArrayBuffer(4));

/** The float32 `k` units in the last place from positive float32 `x`. */
function ulpStep(x: number, k: number): number {
  bits.setFloat32(0, x);
  bits.setUint32(0, bits.getUint32(0) + k);
  return bits.getFloat32(0);
}

/** Units in the last place searched on each side of the exact cache scale. */
const SEARCH_ULPS = 4;

/** The activation grid a model was quantized on: whether it left out the type's lowest code. */
export interface ActivationGrid {
  /** True for the narrow grid (int8 [-127, 127]); core's `narrowRangeActivations`. */
  narrowRange: boolean;
}

/**
 * The cache scale (float32, `amax / 127`) for Q/DQ `scale` on `grid` of `dtype`: the
 * one nearest `amax / 127` whose range `[-127 c, 127 c]` core turns back into `scale`.
 */
function cacheScale(scale: number, dtype: QuantType, grid: ActivationGrid): number {
  const spec = { dtype, symmetric: true, narrowRange: grid.narrowRange };
  const [qmin, qmax] = quantRange(spec);
  const exact = Math.fround((scale * (qmax - qmin)) / 2 / 127);
  const back = (c: number) => computeQParams([-127 * c], [127 * c], spec).scale[0];
  if (!(exact > 0) || !Number.isFinite(exact)) return exact;
  for (let k = 0; k <= SEARCH_ULPS; k++) {
    for (const c of k ? [ulpStep(exact, -k), ulpStep(exact, k)] : [exact]) if (back(c) === scale) return c;
  }
  return exact;
}

/** Tensor → range `[-127 c, 127 c]` (c the cache scale) of each activation QuantizeLinear of `model`'s main graph on `grid`, in node order. */
export function activationRanges(model: Model, grid: ActivationGrid): Map<string, GivenRange> {
  const g = model.graph;
  const out = new Map<string, GivenRange>();
  for (const n of g.nodes) {
    if (n.opType !== 'QuantizeLinear' || out.has(n.inputs[0]!)) continue;
    const scale = g.initializers.get(n.inputs[1] ?? '');
    if (!scale || scale.data.length !== 1) {
      throw new QtkError('E_GRAPH', `QuantizeLinear '${n.name}' has no per-tensor constant scale: TensorRT caches one scale per tensor`, { node: n.name, tensor: n.inputs[0]! });
    }
    const zeroPoint = g.initializers.get(n.inputs[2] ?? '');
    const amax = 127 * cacheScale(Number(scale.data[0]), (zeroPoint?.dtype ?? 'uint8') as QuantType, grid);
    out.set(n.inputs[0]!, { min: -amax, max: amax });
  }
  return out;
}

/** The cache of `model`'s activation scales on `grid` under `header` (see the module comment). */
export function cacheOfModel(model: Model, grid: ActivationGrid, header: CacheHeader): CalibrationCache {
  return cacheFromCalibration(activationRanges(model, grid), header);
}
