/** @qtk/wasm */
export {};
