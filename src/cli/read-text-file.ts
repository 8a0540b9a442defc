import { isUtf8 } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import { CredenceError } from '../core/errors/index.js';
import { utf16Head } from '../ingest/utf16-head.js';

/**
 * A whole text file the operator named (a rulebook), read as UTF-8 or refused saying why, naming
 * the file: a folder, a file saved as UTF-16 (what Windows PowerShell 5 writes for `>`; with or
 * without a byte order mark), or bytes that are not UTF-8 (with the line of the first). Read as UTF-8 regardless, such a file came out
 * as "the file is the single value '��'", or as Node's `EISDIR`.
 *
 * @example
 * const yaml = readTextFile('examples/programs/marketplace.yaml');
 */
export function readTextFile(file: string): string {
  const refuse = (why: string): never => {
    throw new CredenceError('CREDENCE_E_IO', `cannot read ${file}: ${why}`, { file });
  };
  let bytes: Buffer;
  try {
    if (statSync(file).isDirectory()) refuse('it is a folder; name a file in it');
    bytes = readFileSync(file);
  } catch (e) {
    if (e instanceof CredenceError) throw e;
    return refuse((e as Error).message);
  }
  const utf16 = utf16Head(bytes);
  if (utf16) refuse(`it is UTF-16 text (${utf16}), not UTF-8: save it as UTF-8`);
  if (!isUtf8(bytes)) {
    // A line feed is never part of a longer UTF-8 sequence, so each line can be judged alone.
    let line = 1;
    for (let start = 0; start <= bytes.length; line++) {
      const end = bytes.indexOf(0x0a, start);
      const stop = end === -1 ? bytes.length : end;
      if (!isUtf8(bytes.subarray(start, stop))) break;
      start = stop + 1;
    }
    refuse(`line ${line} is not UTF-8 text: save the file as UTF-8`);
  }
  return bytes.toString('utf8');
}
