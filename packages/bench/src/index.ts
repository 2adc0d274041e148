/** @qtk/bench */
export {};
