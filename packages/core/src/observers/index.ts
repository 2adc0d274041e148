/** Calibration observers: interface, built-in observers, range strategies and factory. */
export * from './observer.js';
export * from './rangeQParams.js';
export * from './finiteExtent.js';
export * from './rangeObserverBase.js';
export * from './minmax.js';
export * from './meanMinMax.js';
export * from './fixedWidthHistogram.js';
export * from './entropyRange.js';
export * from './percentileRange.js';
export * from './mseRange.js';
export * from './histogramObserver.js';
export * from './create.js';
