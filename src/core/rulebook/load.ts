import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { CredenceError, type ErrorDetail } from '../errors/index.js';

/** A parsed YAML source that can say on which line a path such as `rules[3].points` stands. */
export interface LoadedYaml {
  readonly value: unknown;
  lineOf(path: string): number | undefined;
  /** The line and column (both from 1) where the path's key (or item) is written. */
  positionOf(path: string): { line: number; column: number } | undefined;
}

/** `rules[3].points` and `events['a.b'].fields.x` → key segments. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\[(\d+)\]|\['([^']*)'\]|\.?([^.[\]]+)/g;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(m[2]);
    else if (m[3] !== undefined) out.push(m[3]);
  }
  return out;
}

/**
 * Parses YAML text. Syntax errors are thrown at once (nothing else can be checked), each with its line.
 *
 * @example
 * loadYaml('program: x\n', 'x.yaml').value // { program: 'x' }
 */
export function loadYaml(text: string, file: string): LoadedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const details: ErrorDetail[] = doc.errors.map((e) => ({
      code: 'CREDENCE_E_RULEBOOK_INVALID',
      file,
      line: lines.linePos(e.pos[0]).line,
      column: lines.linePos(e.pos[0]).col,
      reason:
        e.code === 'MULTIPLE_DOCS'
          ? 'YAML: a "---" line here starts a second document; the file must hold one (one version per file)'
          : `YAML: ${e.message.split('\n')[0]}`,
    }));
    throw new CredenceError('CREDENCE_E_RULEBOOK_INVALID', `${file} is not valid YAML`, { file }, details);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // An alias bomb ("billion laughs") is refused by the parser while it expands the document.
    throw new CredenceError('CREDENCE_E_RULEBOOK_INVALID', `${file} is not valid YAML`, { file }, [
      { code: 'CREDENCE_E_RULEBOOK_INVALID', file, reason: `YAML: ${(e as Error).message}` },
    ]);
  }
  const positionOf = (path: string): { line: number; column: number } | undefined => {
    const segs = pathSegments(path);
    // Walk as deep as the document goes, so a missing key points at its parent.
    let node: Node | null | undefined = doc.contents;
    let best = node?.range?.[0];
    for (const seg of segs) {
      if (isMap(node)) {
        const pair: { key: unknown; value: unknown } | undefined = node.items.find(
          (p) => isScalar(p.key) && String(p.key.value) === String(seg),
        );
        if (!pair) break;
        node = (pair.value as Node | null) ?? (pair.key as Node);
        best = (pair.key as Node).range?.[0] ?? best;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg] as Node | undefined;
        if (!node) break;
        best = node.range?.[0] ?? best;
      } else break;
    }
    if (best === undefined) return undefined;
    const { line, col } = lines.linePos(best);
    return { line, column: col };
  };
  return {
    value,
    positionOf,
    lineOf: (path: string): number | undefined => positionOf(path)?.line,
  };
}

/**
 * Problems by line, then column, as an operator reads the file: the checks find them in their own
 * order (the schema before the semantics, rules before tiers), which listed line 13 above line 6.
 * Problems on one spot, and those placed nowhere (last), keep the order they were found in.
 */
export function inFileOrder<T extends { readonly line?: number; readonly column?: number }>(
  problems: readonly T[],
): T[] {
  const key = (p: T) => [p.line ?? Number.POSITIVE_INFINITY, p.column ?? 0] as const;
  // Array.prototype.sort is stable, so ties keep the order found.
  return [...problems].sort((a, b) => {
    const [la, ca] = key(a);
    const [lb, cb] = key(b);
    return la === lb ? ca - cb : la < lb ? -1 : 1;
  });
}
