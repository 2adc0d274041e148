/** Calibration data readers: bytes in, Tensors out (browser-safe, no file access). */
export * from './npy.js';
export * from './raw.js';
export * from './batching.js';
export * from './batchBudget.js';
export * from './batchInputs.js';
