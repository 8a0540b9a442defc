/**
 * Union–find over person nodes. The older node (lower number) always survives a union, so a
 * person keeps the id they were first given, whatever order records arrive in.
 */
export class UnionFind {
  readonly #parent: number[] = [];

  add(): number {
    const id = this.#parent.length;
    this.#parent.push(id);
    return id;
  }

  find(x: number): number {
    const p = this.#parent;
    while (p[x] !== x) {
      const up = p[p[x] as number] as number;
      p[x] = up;
      x = up;
    }
    return x;
  }

  /** Joins the two sets; returns the surviving root. */
  union(a: number, b: number): number {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return ra;
    const [keep, gone] = ra < rb ? [ra, rb] : [rb, ra];
    this.#parent[gone] = keep;
    return keep;
  }

  get size(): number {
    return this.#parent.length;
  }
}
