/**
 * Test program: starts an atomic write of argv[2] whose data stalls after the first chunk,
 * printing `writing` once the temporary file exists, so a test can signal it mid-write.
 * Run with `node --import tsx slowWrite.ts FILE`.
 */
import { writeFileAtomic } from '../atomicWrite.js';

async function* stalling(): AsyncGenerator<Uint8Array> {
  yield new Uint8Array(1024).fill(7);
  process.stdout.write('writing\n');
  await new Promise((resolve) => setTimeout(resolve, 60_000));
  yield new Uint8Array(1);
}

await writeFileAtomic(process.argv[2]!, stalling());
