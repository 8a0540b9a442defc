// A rule's condition and computed points as a person reads them in an explanation. Only the
// simple forms are put in words (a fact field compared with a number or a string, a true/false
// field, several joined by &&, a choice between two numbers on such a condition); anything else
// is shown as the rulebook writes it, since a wrong paraphrase is worse than code.

const OPS: Readonly<Record<string, string>> = {
  '==': 'is',
  '!=': 'is not',
  '>=': 'is at least',
  '>': 'is more than',
  '<=': 'is at most',
  '<': 'is less than',
};
const FIELD = String.raw`fact\.([a-z_][a-z0-9_]*)`;
const NUMBER = String.raw`-?\d+(?:\.\d+)?`;
const STRING = String.raw`'[^'\\]*'|"[^"\\]*"`;
const COMPARE = new RegExp(`^${FIELD}\\s*(==|!=|>=|<=|>|<)\\s*(${NUMBER}|${STRING})$`);
const FLAG = new RegExp(`^(!?)${FIELD}$`);
const CHOICE = new RegExp(`^(.+?)\\s*\\?\\s*(${NUMBER})\\s*:\\s*(${NUMBER})$`);

const fieldWords = (name: string): string => name.split('_').filter(Boolean).join(' ');
const valueWords = (v: string): string =>
  v.startsWith("'") || v.startsWith('"') ? `"${v.slice(1, -1)}"` : String(Number(v));

/** One clause in words (`days late is 0`), or undefined when it is not a simple one. */
function clauseWords(clause: string): string | undefined {
  const c = clause.trim();
  const m = COMPARE.exec(c);
  if (m) return `${fieldWords(m[1] as string)} ${OPS[m[2] as string]} ${valueWords(m[3] as string)}`;
  const f = FLAG.exec(c);
  if (f) return `${fieldWords(f[2] as string)} is ${f[1] === '!' ? 'false' : 'true'}`;
  return undefined;
}

/** `a && b` in words (`amount is at least 10 and days late is 0`), or undefined. */
function clausesWords(cel: string): string | undefined {
  if (cel.includes('||') || cel.includes('(')) return undefined;
  const parts = cel.split('&&').map(clauseWords);
  return parts.every((p) => p !== undefined) ? parts.join(' and ') : undefined;
}

const pointNoun = (n: number): string => (Math.abs(n) === 1 ? 'point' : 'points');

/**
 * A rule's `when` after its event type: `whose days late is 0`, or `where <the CEL>` as written.
 *
 * @example
 * conditionWords('fact.amount >= 10.0') // 'whose amount is at least 10'
 */
export function conditionWords(cel: string): string {
  const words = clausesWords(cel.trim());
  return words !== undefined ? `whose ${words}` : `where ${cel}`;
}

/**
 * A rule's computed points: `5 points if its amount is at least 200, else 3 points`, or
 * `(<the CEL>) points` as written.
 *
 * @example
 * pointsWords('fact.amount >= 200.0 ? 5 : 3') // '5 points if its amount is at least 200, else 3 points'
 */
export function pointsWords(cel: string): string {
  const m = CHOICE.exec(cel.trim());
  const cond = m ? clausesWords(m[1] as string) : undefined;
  if (!m || cond === undefined) return `(${cel}) points`;
  const yes = Number(m[2]);
  const no = Number(m[3]);
  return `${yes} ${pointNoun(yes)} if its ${cond}, else ${no} ${pointNoun(no)}`;
}
