/** An append-only typed array that doubles when full: per-group samples without arrays of objects. */
export class GrowableArray<T extends Int8Array | Float64Array> {
  private data: T;
  private size = 0;
  private readonly make: (n: number) => T;
  constructor(make: (n: number) => T, initial = 64) {
    this.make = make;
    this.data = make(initial);
  }
  push(v: number): void {
    if (this.size === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.size++] = v;
  }
  get length(): number {
    return this.size;
  }
  /** The filled part (a view: do not keep it across pushes). */
  view(): T {
    return this.data.subarray(0, this.size) as T;
  }
}

export const int8s = (): GrowableArray<Int8Array> => new GrowableArray((n) => new Int8Array(n));
export const float64s = (): GrowableArray<Float64Array> => new GrowableArray((n) => new Float64Array(n));
