import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameTokens } from './name-tokens.js';
import { splitPinyin } from './pinyin-syllables.js';
import { ScreenIndex } from './screen-index.js';
import { latinSpellings } from './transliterate.js';
import type { ListedPerson } from './types.js';

// Names listed in Cyrillic or Greek (a court's list, a registry) must be found by the Latin
// spelling a relying party holds (a passport's, the press's), and the reverse; Chinese already
// aligned through pinyin. The false positives screeners are known for must stay out.

const flagged = (subjectId: string, name: string): ListedPerson => ({
  subjectId,
  names: [name],
  flags: ['dishonest-debtor'],
});

/** Listed as written here ↔ asked for as written there: each must find the other. */
const PAIRS: readonly (readonly [string, string])[] = [
  ['Владимир Иванов', 'Vladimir Ivanov'],
  ['ИВАНОВ Владимир Петрович', 'Vladimir Petrovich Ivanov'],
  ['Иван Иванов', 'Ivan Ivanov'],
  ['Сергей Петров', 'Sergei Petrov'], // ICAO 9303, as Russian passports since 2013
  ['Сергей Петров', 'Sergey Petrov'],
  ['Юрий Гагарин', 'Iurii Gagarin'],
  ['Юрий Гагарин', 'Yury Gagarin'],
  ['Никита Хрущёв', 'Nikita Khrushchev'],
  ['Татьяна Щербакова', 'Tatiana Shcherbakova'],
  ['Татьяна Щербакова', 'Tatyana Shcherbakova'],
  ['Дмитрий Медведев', 'Dmitry Medvedev'],
  ['Наталья Кузьмина', 'Natalia Kuzmina'],
  ['Алексей Навальный', 'Aleksei Navalnyi'],
  ['Олександр Шевченко', 'Oleksandr Shevchenko'],
  ['Григорій Сковорода', 'Hryhorii Skovoroda'], // Ukrainian passports' own system
  ['Євген Коновалець', 'Yevhen Konovalets'],
  ['Мар’яна Їжакевич', 'Mariana Yizhakevych'],
  ['Новак Ђоковић', 'Novak Djokovic'],
  ['Γιώργος Παπαδόπουλος', 'Giorgos Papadopoulos'], // ELOT 743, as Greek passports
  ['ΠΑΠΑΔΟΠΟΥΛΟΣ ΓΕΩΡΓΙΟΣ', 'Georgios Papadopoulos'],
  ['Αλέξης Τσίπρας', 'Alexis Tsipras'],
  ['Νίκος Χατζηδάκης', 'Nikos Chatzidakis'],
  ['Νίκος Χατζηδάκης', 'Nikos Hatzidakis'],
  ['Θεόδωρος Αγγελόπουλος', 'Theodoros Angelopoulos'],
  ['Ευάγγελος Βενιζέλος', 'Evangelos Venizelos'],
  ['Παύλος Γιαννακόπουλος', 'Pavlos Giannakopoulos'],
  ['Ναυσικά Λαΐου', 'Nafsika Laiou'],
];

describe('Cyrillic and Greek names against their Latin spellings', () => {
  it.each(PAIRS)('%s is found as %s, and the reverse', (script, latin) => {
    const listedScript = new ScreenIndex([flagged('P-script', script)]);
    const listedLatin = new ScreenIndex([flagged('P-latin', latin)]);
    const hit = listedScript.search({ name: latin }).candidates[0];
    expect(hit?.subjectId).toBe('P-script');
    expect(hit?.score).toBeGreaterThanOrEqual(0.9);
    expect(hit?.listedName).toBe(script);
    const back = listedLatin.search({ name: script }).candidates[0];
    expect(back?.subjectId).toBe('P-latin');
    expect(back?.score).toBeGreaterThanOrEqual(0.9);
  });

  it('matches exactly (score 1) across scripts when the Latin is the passport spelling', () => {
    const ix = new ScreenIndex(PAIRS.map(([script], i) => flagged(`P${i}`, script)));
    for (const latin of ['Vladimir Ivanov', 'Iurii Gagarin', 'Nikita Khrushchev', 'Hryhorii Skovoroda']) {
      expect([latin, ix.search({ name: latin }).candidates[0]?.score]).toEqual([latin, 1]);
    }
  });

  // A listed Russian name in Cyrillic, asked for by its ICAO 9303 spelling: the table here is the
  // standard's, written out independently of the code under test.
  const ICAO: Record<string, string> = {
    а: 'a',
    б: 'b',
    в: 'v',
    г: 'g',
    д: 'd',
    е: 'e',
    ё: 'e',
    ж: 'zh',
    з: 'z',
    и: 'i',
    й: 'i',
    к: 'k',
    л: 'l',
    м: 'm',
    н: 'n',
    о: 'o',
    п: 'p',
    р: 'r',
    с: 's',
    т: 't',
    у: 'u',
    ф: 'f',
    х: 'kh',
    ц: 'ts',
    ч: 'ch',
    ш: 'sh',
    щ: 'shch',
    ъ: 'ie',
    ы: 'y',
    ь: '',
    э: 'e',
    ю: 'iu',
    я: 'ia',
  };
  const icao = (s: string): string =>
    s
      .split(' ')
      .map((w) => [...w.toLowerCase()].map((ch) => ICAO[ch] ?? ch).join(''))
      .join(' ');
  const GIVEN = [
    'Александр',
    'Дмитрий',
    'Юлия',
    'Андрей',
    'Евгения',
    'Сергей',
    'Ксения',
    'Илья',
    'Фёдор',
    'Анастасия',
  ];
  const FAMILY = [
    'Кузнецов',
    'Соловьёва',
    'Щукин',
    'Хабаров',
    'Жуковская',
    'Цветаева',
    'Васильев',
    'Мещерякова',
  ];

  it('finds every Russian name by its ICAO 9303 spelling, and only its own', () => {
    const people = FAMILY.flatMap((f, i) => GIVEN.map((g, j) => flagged(`P${i}-${j}`, `${g} ${f}`)));
    const ix = new ScreenIndex(people);
    fc.assert(
      fc.property(fc.nat(FAMILY.length - 1), fc.nat(GIVEN.length - 1), fc.boolean(), (i, j, familyFirst) => {
        const [g, f] = [icao(GIVEN[j] as string), icao(FAMILY[i] as string)];
        const r = ix.search({ name: familyFirst ? `${f.toUpperCase()} ${g}` : `${g} ${f}` });
        expect(r.candidates.map((c) => [c.subjectId, c.score])).toEqual([[`P${i}-${j}`, 1]]);
      }),
    );
  });
});

describe('the false positives stay out, in any script', () => {
  const ix = new ScreenIndex([
    flagged('P-habbash', 'George Habbash'),
    flagged('P-emma', 'Emma Daniels'),
    flagged('P-ivanov', 'Владимир Иванов'),
    flagged('P-papa', 'Γιώργος Παπαδόπουλος'),
  ]);
  const ids = (name: string) => ix.search({ name }).candidates.map((c) => c.subjectId);

  it('"George Bush" is not "George Habbash", nor "Emma LLC" "Emma Daniels"', () => {
    expect(ids('George Bush')).toEqual([]);
    expect(ids('Emma LLC')).toEqual([]);
    expect(ix.search({ name: 'Emma LLC' }).organisation).toBe(true);
    expect(ids('George Habbash')).toEqual(['P-habbash']);
  });

  it('a given name alone, or another family name, is not the listed person', () => {
    expect(ids('Владимир')).toEqual([]);
    expect(ids('Vladimir')).toEqual([]);
    expect(ids('Vladimir Ivanenko')).toEqual([]);
    expect(ids('Владимир Смирнов')).toEqual([]);
    expect(ids('Giorgos Papadakis')).toEqual([]);
    expect(ids('Γιώργος')).toEqual([]);
  });

  it('Cyrillic and Greek legal forms make an organisation; a name of legal forms only matches nothing', () => {
    for (const name of [
      'ООО «Ромашка»',
      'Иванов Владимир ООО',
      'ПАО Иванов',
      'ТОВ Шевченко',
      'Παπαδόπουλος Α.Ε.',
    ]) {
      const r = ix.search({ name });
      expect([name, r.organisation, r.candidates]).toEqual([name, true, []]);
    }
    for (const name of ['ООО', 'Α.Ε.', 'Ε.Π.Ε.']) {
      const r = ix.search({ name });
      expect([name, r.candidates, r.refused !== undefined]).toEqual([name, [], true]);
    }
  });

  it('Russian names are not read as pinyin (Ivanov is not i-v-an-o-v), so a slip in one is one slip', () => {
    expect(nameTokens('Иван Иванов')).toMatchObject({ tokens: ['ivan', 'ivanov'], chinese: false });
    expect(splitPinyin('ivanov')).toBeUndefined();
    const ivanov = new ScreenIndex([flagged('P-ivan', 'Иван Иванов')]);
    expect(ivanov.search({ name: 'Ivan Ivanow' }).candidates.map((c) => c.subjectId)).toEqual(['P-ivan']);
  });

  it('a Latin or Chinese name is left as it is', () => {
    expect(latinSpellings('Emma Daniels')).toEqual(['Emma Daniels']);
    expect(latinSpellings('王建华')).toEqual(['王建华']);
  });
});
