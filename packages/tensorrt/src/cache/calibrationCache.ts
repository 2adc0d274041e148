/**
 * TensorRT's calibration cache as data: the header's version digits and algorithm, and
 * one float32 scale per tensor in file order.
 *
 * The text TensorRT writes (checked against caches of TensorRT 5.1, 7.0, 7.2, 8.4, 8.5,
 * 10.9 and 10.10, see fixtures/README.md):
 *
 * ```
 * TRT-100300-EntropyCalibration2
 * images: 3c021406
 * (Unnamed Layer* 3) [Convolution]_output: 3d1e029a
 * ONNXTRT_Broadcast_1855_output: 0
 * ```
 *
 * Line 1 is `TRT-<NV_TENSORRT_VERSION>-<algorithm>`; every other line is
 * `<tensor name>: <hex>`, where hex is the big-endian bit pattern of the float32 scale
 * (amax / 127) in lowercase hexadecimal without leading zeros (0.0 is `0`). Lines end in
 * `\n`, the last one too. Tensor names may hold spaces, `*`, `[`, `]` and colons
 * (`conv/Conv2D__176:0`); the hex follows the last `': '`.
 */

/** TensorRT's calibrators (`CalibrationAlgoType`) as their names appear in a cache header. */
export type CalibrationAlgorithm = 'EntropyCalibration2' | 'EntropyCalibration' | 'MinMaxCalibration' | 'LegacyCalibration';

/** Every `CalibrationAlgorithm`, for checks and messages. */
export const CALIBRATION_ALGORITHMS: readonly CalibrationAlgorithm[] = Object.freeze(['EntropyCalibration2', 'EntropyCalibration', 'MinMaxCalibration', 'LegacyCalibration']);

/**
 * A calibration cache: `{ version: '8601', algorithm: 'EntropyCalibration2', scales:
 * Map { 'input' => 0.0078125, ... } }`. `scales` keeps file order, which `writeCalibrationCache`
 * writes back.
 */
export interface CalibrationCache {
  /** The header's version digits as written: '8601' for TensorRT 8.6.1, '100300' for 10.3.0 (see `trtVersionDigits`). */
  readonly version: string;
  /** The calibrator that wrote the cache, as the header names it. */
  readonly algorithm: CalibrationAlgorithm;
  /** Tensor name → float32 scale, `amax / 127`: the tensor's range is `[-127 * scale, 127 * scale]`. */
  readonly scales: ReadonlyMap<string, number>;
  /**
   * The hex of entries whose text differs from how TensorRT spells their value (leading
   * zeros such as `00000000`, upper case, a NaN payload the JavaScript engine does not
   * keep through a number), as read,
   * so that such a file is written back byte for byte. Used only while the entry's scale
   * still has the bits the spelling stands for.
   */
  readonly spelling?: ReadonlyMap<string, string>;
}
