import { makePerson, type SyntheticPerson } from '../../../generate/person.js';

/** A person of the population with a Chinese resident ID: the lists here publish that number. */
export type Resident = SyntheticPerson & { readonly nationalId: string };

/**
 * Person `index` of the population, or the next one after it who holds a resident ID (foreign
 * residents, who identify with a passport, are skipped). Pure and deterministic.
 */
export function residentAt(seed: number, index: number, people: number): Resident {
  for (let i = 0; i < people; i++) {
    const p = makePerson(seed, (index + i) % people);
    if (p.nationalId) return p as Resident;
  }
  throw new Error('the population holds no resident with a resident ID');
}
