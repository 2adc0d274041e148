/** Backend plugins: the contract, resolution by object or name, and a policy built from op handlers. */
export * from './backend.js';
export * from './handlerPolicy.js';
export * from './resolveBackend.js';
