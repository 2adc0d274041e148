// Tensors in onnxruntime-common's order, (type, data, dims), as every qtk package builds them.
const pixels = new Float32Array(1 * 3 * 224 * 224);
const weights = new Float32Array(64 * 3 * 7 * 7);

// #region tensors
import { Tensor } from '@qtk/core';

const image = new Tensor('float32', pixels, [1, 3, 224, 224]);   // pixels: Float32Array of 150528
const ids = new Tensor('int64', [101n, 2054n, 102n], [1, 3]);
const scale = new Tensor('float32', [0.5]);                        // dims [1]
const w = Tensor.fromFloat32(weights, [64, 3, 7, 7]);             // data first here too
const calibration = [{ input: image }];                            // feeds are { inputName: Tensor }
// #endregion

console.log(`image ${image.dims.join('x')}, ids ${ids.dims.join('x')} ${ids.dtype}, scale ${scale.dims.join('x')}, w ${w.dims.join('x')}, ${calibration.length} feed`);
