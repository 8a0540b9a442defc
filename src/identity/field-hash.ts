// A 53-bit hash fed field by field (the mixing of `hashKey`, with a separator after each field),
// so a profile or a record is hashed in place, without building the string. One running state:
// one thread, and no hash starts before the last one ended.
let h1 = 0;
let h2 = 0;

export function hashStart(): void {
  h1 = 0x811c9dc5;
  h2 = 0x01000193;
}

/** Feeds one field's text (nothing when undefined), then a separator when `sep`. */
export function hashFeed(v: string | undefined, sep: boolean): void {
  if (v !== undefined) {
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
  }
  if (sep) {
    h1 = Math.imul(h1 ^ 1, 0x01000193);
    h2 = Math.imul(h2 ^ 1, 0x5bd1e995) ^ (h2 >>> 15);
  }
}

export function hashEnd(): number {
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}
