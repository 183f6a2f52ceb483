import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ModelResponse } from '../core/records.ts';

interface Location {
  file: string;
  offset: number;
  length: number;
}

/**
 * key -> location as an open-addressing hash table over typed arrays: ~28 bytes an entry instead of
 * a Map entry with a 64-character key string and a location object (~200 bytes), so a 200K-response
 * store indexes in a few MB. Keys are matched on their first 96 bits (24 hex digits of a sha256);
 * `get` checks the full key in the stored line, so a collision can only read as absent.
 */
class KeyTable {
  private cap = 1024;
  private count = 0;
  private w0 = new Uint32Array(this.cap);
  private w1 = new Uint32Array(this.cap);
  private w2 = new Uint32Array(this.cap);
  private file = new Uint32Array(this.cap);
  private offset = new Float64Array(this.cap);
  /** Line length + 1; 0 marks an empty slot. */
  private len = new Uint32Array(this.cap);
  readonly files: string[] = [];
  private readonly fileIndex = new Map<string, number>();

  get size(): number {
    return this.count;
  }

  private slot(a: number, b: number, c: number): number {
    const mask = this.cap - 1;
    let i = a & mask;
    while (this.len[i] !== 0 && !(this.w0[i] === a && this.w1[i] === b && this.w2[i] === c)) i = (i + 1) & mask;
    return i;
  }

  private static words(key: string): [number, number, number] {
    return [parseInt(key.slice(0, 8), 16) >>> 0, parseInt(key.slice(8, 16), 16) >>> 0, parseInt(key.slice(16, 24), 16) >>> 0];
  }

  set(key: string, at: Location): void {
    if ((this.count + 1) * 2 > this.cap) this.grow();
    const [a, b, c] = KeyTable.words(key);
    const i = this.slot(a, b, c);
    if (this.len[i] === 0) this.count++;
    let f = this.fileIndex.get(at.file);
    if (f === undefined) {
      f = this.files.length;
      this.files.push(at.file);
      this.fileIndex.set(at.file, f);
    }
    this.w0[i] = a;
    this.w1[i] = b;
    this.w2[i] = c;
    this.file[i] = f;
    this.offset[i] = at.offset;
    this.len[i] = at.length + 1;
  }

  get(key: string): Location | undefined {
    const [a, b, c] = KeyTable.words(key);
    const i = this.slot(a, b, c);
    if (this.len[i] === 0) return undefined;
    return { file: this.files[this.file[i]!]!, offset: this.offset[i]!, length: this.len[i]! - 1 };
  }

  private grow(): void {
    const old = { w0: this.w0, w1: this.w1, w2: this.w2, file: this.file, offset: this.offset, len: this.len, cap: this.cap };
    this.cap *= 2;
    this.w0 = new Uint32Array(this.cap);
    this.w1 = new Uint32Array(this.cap);
    this.w2 = new Uint32Array(this.cap);
    this.file = new Uint32Array(this.cap);
    this.offset = new Float64Array(this.cap);
    this.len = new Uint32Array(this.cap);
    for (let j = 0; j < old.cap; j++) {
      if (old.len[j] === 0) continue;
      const i = this.slot(old.w0[j]!, old.w1[j]!, old.w2[j]!);
      this.w0[i] = old.w0[j]!;
      this.w1[i] = old.w1[j]!;
      this.w2[i] = old.w2[j]!;
      this.file[i] = old.file[j]!;
      this.offset[i] = old.offset[j]!;
      this.len[i] = old.len[j]!;
    }
  }
}

/**
 * Content-addressed store of model responses, keyed by the request key (a sha256 of model,
 * messages, sampling params and extra body). Append-only packs: each process appends one JSON
 * line per response (`{"k": key, "r": response}`) to a pack of its own under `packs/`, with one
 * synchronous write, so a put costs microseconds, survives SIGKILL, and concurrent runs never
 * write the same file. Opening the store indexes every pack (key -> file, offset); a torn last
 * line from a crash is skipped. Only successful responses are stored; no headers, no keys.
 *
 * Why packs and not a file per response: at 200K responses, creating 200K small files was the
 * largest single cost of a run (measured in bench/), and leaves 200K inodes behind.
 */
export class ResponseStore {
  readonly dir: string;
  private readonly index = new KeyTable();
  private readonly fds = new Map<string, number>();
  private pack: { file: string; fd: number; size: number } | undefined;

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(join(dir, 'packs'), { recursive: true });
    for (const name of readdirSync(join(dir, 'packs')).sort()) {
      if (name.endsWith('.jsonl')) this.indexPack(join(dir, 'packs', name));
    }
  }

  private static checkKey(key: string): void {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`ResponseStore: not a request key: ${key}`);
  }

  /** Read a pack line by line (in 1 MB chunks) and record where each complete entry lies. */
  private indexPack(file: string): void {
    const fd = openSync(file, 'r');
    try {
      const size = statSync(file).size;
      const chunk = Buffer.allocUnsafe(1 << 20);
      let carry = Buffer.alloc(0);
      let base = 0;
      for (let pos = 0; pos < size; ) {
        const n = readSync(fd, chunk, 0, chunk.length, pos);
        if (n <= 0) break;
        pos += n;
        const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
        let start = 0;
        for (let nl = buf.indexOf(0x0a, start); nl !== -1; nl = buf.indexOf(0x0a, start)) {
          // Lines start with {"k":"<64 hex>", so the key is read without parsing the response.
          const key = buf.toString('latin1', start + 6, start + 70);
          if (buf[start + 70] === 0x22 && /^[0-9a-f]{64}$/.test(key)) this.index.set(key, { file, offset: base + start, length: nl - start });
          start = nl + 1;
        }
        carry = Buffer.from(buf.subarray(start)); // a torn last line stays here and is ignored
        base += start;
      }
    } finally {
      closeSync(fd);
    }
  }

  has(key: string): boolean {
    ResponseStore.checkKey(key);
    return this.index.get(key) !== undefined;
  }

  /** The stored response, or undefined. An unreadable entry reads as absent (and is stored again). */
  get(key: string): ModelResponse | undefined {
    ResponseStore.checkKey(key);
    const at = this.index.get(key);
    if (!at) return undefined;
    let fd = this.fds.get(at.file);
    if (fd === undefined) this.fds.set(at.file, (fd = openSync(at.file, 'r')));
    const buf = Buffer.allocUnsafe(at.length);
    readSync(fd, buf, 0, at.length, at.offset);
    try {
      const entry = JSON.parse(buf.toString('utf8')) as { k?: unknown; r?: unknown };
      if (entry.k !== key) return undefined; // a 96-bit prefix collision: not this request's answer
      const parsed = ModelResponse.safeParse(entry.r);
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** Store a response: one synchronous append to this process's pack. Throws on a write error (a full disk). */
  put(key: string, response: ModelResponse): void {
    ResponseStore.checkKey(key);
    if (!this.pack) {
      const file = join(this.dir, 'packs', `${Date.now().toString(36)}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.jsonl`);
      this.pack = { file, fd: openSync(file, 'a'), size: 0 };
    }
    const line = Buffer.from(`{"k":"${key}","r":${JSON.stringify(response)}}\n`);
    writeSync(this.pack.fd, line);
    this.index.set(key, { file: this.pack.file, offset: this.pack.size, length: line.length - 1 });
    this.pack.size += line.length;
  }

  /** Kept for callers that batch: every put is already durable against a crash of this process. */
  async flush(): Promise<void> {}

  close(): void {
    if (this.pack) closeSync(this.pack.fd);
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
    this.pack = undefined;
  }

  /** Number of responses the store holds. */
  get size(): number {
    return this.index.size;
  }

  static exists(dir: string): boolean {
    return existsSync(join(dir, 'packs'));
  }
}
