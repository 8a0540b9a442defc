/**
 * Lower case, trimmed, `+tag` dropped from the local part (sub-addresses reach the same mailbox).
 *
 * @example
 * normaliseEmail(' Wei.Wang+shop@Example.COM ') // 'wei.wang@example.com'
 */
export function normaliseEmail(raw: string): string | undefined {
  const s = raw.trim().toLowerCase();
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return s || undefined;
  const local = s.slice(0, at).replace(/\+.*$/, '');
  return `${local}@${s.slice(at + 1)}`;
}
