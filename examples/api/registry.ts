import { createRegistry, minMaxObserverPlugin } from '@qtk/core';
import ortNode from '@qtk/onnxruntime/node';
const registry = createRegistry();
registry.register(minMaxObserverPlugin);
registry.register(ortNode);
const executor = await registry.resolve('executor'); // first available, by priority
console.log('executor:', executor.name);
