import { describe, expect, it } from 'vitest';
import { specialFactField, specialField } from './special-fields.js';

describe('special-category fields of a fact', () => {
  it('finds a data or subject field named for a special category, whatever its spelling', () => {
    for (const key of [
      'religion',
      'Ethnicity',
      'health_status',
      'unionMember',
      'political_party',
      'DNAResult',
    ])
      expect(specialField({ amount: 1, [key]: 'x' }, 'data')?.field).toBe(`data.${key}`);
    expect(specialField({ phone: '+1', ethnicity: 'x' }, 'subject')).toMatchObject({
      field: 'subject.ethnicity',
      reason: expect.stringContaining('ethnic'),
    });
  });

  it('lets ordinary fields and a subject identity fields through', () => {
    expect(
      specialField({ amount: 1, merchant: 'x', note: 'a Bible for my mother', credit_union: 'y' }, 'data'),
    ).toBeUndefined();
    expect(
      specialField({ sex: 'F', date_of_birth: '1990-01-01', subjectId: 'a' }, 'subject'),
    ).toBeUndefined();
    // `sex` is an identity field only in the subject: as data it is still an ordinary word.
    expect(specialField({ sex: 'F' }, 'data')).toBeUndefined();
  });

  it('reads fields nested in undeclared objects and arrays', () => {
    expect(specialField({ amount: 1, extra: { profile: { faith: 'x' } } }, 'data')?.field).toBe(
      'data.extra.profile.faith',
    );
    expect(specialField({ tags: [{ ok: 1 }, { diagnosis: 'x' }] }, 'data')?.field).toBe(
      'data.tags[1].diagnosis',
    );
    expect(specialField({ extra: { merchant: 'x', list: [1, 'two'] } }, 'data')).toBeUndefined();
  });

  it('answers the same for a name it has seen before (memoised)', () => {
    const first = specialField({ religion: 'x' }, 'data');
    expect(specialField({ religion: 'y' }, 'data')).toEqual(first);
  });
});

describe('special-category fields anywhere in a fact', () => {
  it('reads top-level fields beside the envelope, and a retraction like any fact', () => {
    // Only `data` and `subject` were read: a "religion" key beside them, or a retraction that
    // carried data, was stored verbatim with the fact.
    const fact = { id: 'p1', source: 'pay', type: 't', occurredAt: 'x', subject: {}, data: {} };
    expect(specialFactField({ ...fact, religion: 'x' })?.field).toBe('religion');
    expect(specialFactField({ ...fact, meta: { diagnosis: 'x' } })?.field).toBe('meta.diagnosis');
    expect(specialFactField({ ...fact, data: { amount: 1, faith: 'x' } })?.field).toBe('data.faith');
    expect(specialFactField({ ...fact, subject: { sex: 'F', ethnicity: 'x' } })?.field).toBe(
      'subject.ethnicity',
    );
    const retraction = { id: 'r1', source: 'pay', retracts: 'p1', occurredAt: 'x' };
    expect(specialFactField({ ...retraction, data: { religion: 'x' } })?.field).toBe('data.religion');
    expect(
      specialFactField({ ...fact, subject: { sex: 'F' }, data: { amount: 1 }, note: 'x' }),
    ).toBeUndefined();
    expect(specialFactField(retraction)).toBeUndefined();
  });
});

// The refusal said the category's data was "never stored", yet free text that mentions it
// (`data.comment: "joined the protest"`) is stored, since values are not read: the words promised
// more than the code does. They now say what is true — a field so named is never stored, such
// data never scored — and free text stays unread (docs/policy.md, "What is stored all the same").
describe('what a refusal says, and what is stored all the same', () => {
  const fact = { id: 'p1', source: 'shop', type: 't', occurredAt: 'x', subject: {} };

  it('says a field so named is never stored and such data never scored, not that no fact mentions it', () => {
    const hit = specialFactField({ ...fact, data: { amount: 1, political_view: 'x' } });
    expect(hit?.field).toBe('data.political_view');
    const reason = hit?.reason ?? '';
    expect(reason).toMatch(/special-category data \(political\), which Credence never scores/);
    expect(reason).toContain('a fact with a field so named is never stored');
    // The category's data as a whole is not promised unstored: free text may mention it.
    expect(reason).not.toMatch(/data \([a-z-]+\) that Credence never stores/);
    expect(reason).toMatch(/; send the fact without it$/);
  });

  it('does not read free text for categories, in data or beside it', () => {
    for (const data of [
      { amount: 1, comment: 'joined the protest' },
      { amount: 1, recipient: "St. Mary's Hospital", memo: '宗教 union dues' },
    ])
      expect(specialFactField({ ...fact, data, note: 'joined the protest' })).toBeUndefined();
  });
});
