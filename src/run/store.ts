import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ModelResponse } from '../core/records.ts';

interface Location {
  file: string;
  offset: number;
  length: number;
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
  private readonly index = new Map<string, Location>();
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
    return this.index.has(key);
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
      const parsed = ModelResponse.safeParse((JSON.parse(buf.toString('utf8')) as { r?: unknown }).r);
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
