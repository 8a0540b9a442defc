/**
 * Growable typed-array columns: the resolver keeps several numbers per record for millions of
 * records, and a plain array spends 8 bytes an element plus growth slack on each of them
 * (about 90 bytes a record over its columns). `data` is replaced when the column grows, so read
 * it again after a `push`.
 */
abstract class Column<A extends Int32Array | Float64Array | Uint8Array> {
  data: A;
  length = 0;

  constructor(data: A) {
    this.data = data;
  }

  protected abstract alloc(capacity: number): A;

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = this.alloc(Math.max(1024, this.data.length * 2));
      next.set(this.data as never);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
}

export class Int32Column extends Column<Int32Array> {
  constructor() {
    super(new Int32Array(0));
  }
  protected alloc(capacity: number): Int32Array {
    return new Int32Array(capacity);
  }
}

export class Float64Column extends Column<Float64Array> {
  constructor() {
    super(new Float64Array(0));
  }
  protected alloc(capacity: number): Float64Array {
    return new Float64Array(capacity);
  }
}

export class Uint8Column extends Column<Uint8Array> {
  constructor() {
    super(new Uint8Array(0));
  }
  protected alloc(capacity: number): Uint8Array {
    return new Uint8Array(capacity);
  }
}
