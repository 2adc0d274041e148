/**
 * Child process of threads.test.ts: runs a 2-thread session on the odd-shapes model, then
 * releases it (argument `release`) or keeps it (`keep`), prints the live worker count and
 * returns from the script; the process must exit by itself either way.
 */
import { encodeModel } from '@qtk/core';
import { InferenceSession } from '../index.js';
import { liveWorkers } from '../threads/spawn.js';
import { oddShapesFeeds, oddShapesModel } from './oddShapes.js';

const s = await InferenceSession.create(encodeModel(oddShapesModel()).model, { intraOpNumThreads: 2 });
await s.run(oddShapesFeeds(1));
if (process.argv[2] === 'release') {
  await s.release();
  console.log(`threads 2, live workers after release ${liveWorkers()}`);
} else {
  console.log(`threads ${s.threads}, live workers ${liveWorkers()}`);
}
