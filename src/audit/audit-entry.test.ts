import { hash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../ingest/canonical.js';
import { type AuditInput, entryHash, GENESIS_HASH, sealEntry, sealedText } from './audit-entry.js';

// Any string a caller may record, lone surrogates and control characters included.
const text = fc.string({ unit: 'binary', maxLength: 30 });
const input: fc.Arbitrary<AuditInput> = fc.record(
  {
    at: fc.integer({ min: 0, max: 2 ** 50 }),
    actor: text,
    action: text,
    subject: fc.option(text, { nil: undefined }),
    purpose: fc.option(text, { nil: undefined }),
    detail: fc.option(fc.dictionary(text, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }), { nil: undefined }),
  },
  { requiredKeys: ['at', 'actor', 'action'] },
);

describe('sealEntry', () => {
  it('seals exactly the sealed text of the entry it returns, chained after the previous one', () => {
    fc.assert(
      fc.property(
        input,
        fc.nat(),
        fc.oneof(fc.constant(GENESIS_HASH), fc.stringMatching(/^[0-9a-f]{64}$/)),
        (i, prevSeq, prevHash) => {
          const e = sealEntry(i, prevSeq, prevHash);
          const unsealed = {
            seq: prevSeq + 1,
            at: i.at,
            actor: i.actor,
            action: i.action,
            subject: i.subject ?? null,
            purpose: i.purpose ?? null,
            detail: canonicalJson(i.detail ?? {}),
            prevHash,
          };
          expect(e).toEqual({ ...unsealed, hash: hash('sha256', sealedText(unsealed), 'hex') });
          expect(e.hash).toBe(entryHash(e));
        },
      ),
    );
  });
});

describe("an entry's detail", () => {
  it('a null or missing detail is sealed as {}, as before', () => {
    const e = sealEntry(
      { at: 1, actor: 'a', action: 'x', detail: null as unknown as undefined },
      0,
      GENESIS_HASH,
    );
    expect(e.detail).toBe('{}');
    expect(sealEntry({ at: 1, actor: 'a', action: 'x' }, 0, GENESIS_HASH).detail).toBe('{}');
  });
});
