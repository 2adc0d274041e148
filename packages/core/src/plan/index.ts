/** Planning: annotation plus activation qparams → QuantPlan (pure, no graph change). */
export * from './qparams.js';
export * from './quantPlan.js';
export * from './planQuantization.js';
export * from './quantizeBias.js';
