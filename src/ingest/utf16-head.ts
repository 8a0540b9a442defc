/**
 * How a file's first bytes show it is UTF-16 (Excel's "Unicode Text", PowerShell 5's `>`): by its
 * byte order mark (`byte order mark FF FE`), or without one by a NUL beside its first character
 * (`no byte order mark`), which no text file holds and UTF-16 writes beside every ASCII letter;
 * else ''. Without a mark the NULs are valid UTF-8, so a UTF-8 check alone lets such a file through.
 *
 * @example
 * utf16Head(Buffer.from('a,b', 'utf16le')) // 'no byte order mark'
 */
export function utf16Head(head: Uint8Array): string {
  if (head[0] === 0xff && head[1] === 0xfe) return 'byte order mark FF FE';
  if (head[0] === 0xfe && head[1] === 0xff) return 'byte order mark FE FF';
  if (head.length >= 2 && (head[0] === 0) !== (head[1] === 0)) return 'no byte order mark';
  return '';
}
