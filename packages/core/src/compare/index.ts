/** Quality reports: per-node and per-output error of a quantized model against its float model. */
export * from './errorStats.js';
export * from './jsonNumbers.js';
export * from './probes.js';
export * from './measure.js';
export * from './report.js';
export * from './compareModels.js';
export * from './format.js';
