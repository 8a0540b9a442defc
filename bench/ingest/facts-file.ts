import { createWriteStream } from 'node:fs';
import { generateJsonl } from '../../src/generate/index.js';

/** Writes the generator's facts for `people` people (a year, seed 1) to `file`. */
export async function writeFacts(file: string, people: number, seed = 1): Promise<void> {
  const out = createWriteStream(file);
  for (const line of generateJsonl({ people, seed })) {
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}
