/** The bundled digits set for this package's tests: the onnxruntime package's helper (accuracy in onnxruntime-node). */
export { DIGITS_MODEL, batchesOf, digitsRows, testAccuracy } from '../../../onnxruntime/src/test-support/digits.js';
