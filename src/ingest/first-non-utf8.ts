/**
 * The offset of the first byte that does not belong to a well-formed UTF-8 sequence (the length
 * when all of it is UTF-8): where a file's or a request body's refusal points. Node's `isUtf8`
 * says only whether.
 *
 * @example
 * firstNonUtf8(Buffer.from([0x61, 0xe9, 0x62])) // 1 (Latin-1 é)
 */
export function firstNonUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    // The length of the sequence and the range its second byte must fall in (Unicode Table 3-7):
    // no overlong forms, no surrogates, nothing past U+10FFFF.
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return b.length;
}
