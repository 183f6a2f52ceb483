import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelResponse } from '../core/records.ts';

/**
 * Content-addressed store of model responses, keyed by the request key (a sha256 of model,
 * messages, sampling params and extra body). One small JSON file per response under a
 * 256-way fan-out (`ab/<key>.json`; 200K responses make ~800 files a folder), written to a
 * temporary name and renamed, so a crash never leaves a half-written entry and concurrent
 * runs can share one store. Writes are asynchronous (off the event loop's hot path);
 * `flush()` waits for them.
 * Only successful responses are stored; errors are never cached. No headers, no keys.
 */
export class ResponseStore {
  readonly dir: string;
  private readonly madeDirs = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  /** Responses whose write is still in progress, so a `get` right after `put` sees them. */
  private readonly writing = new Map<string, ModelResponse>();
  private failure: Error | undefined;
  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
  }

  private pathOf(key: string): string {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`ResponseStore: not a request key: ${key}`);
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  has(key: string): boolean {
    return this.writing.has(key) || existsSync(this.pathOf(key));
  }

  /** The stored response, or undefined. A corrupt entry reads as absent (and will be overwritten). */
  get(key: string): ModelResponse | undefined {
    const file = this.pathOf(key);
    const inFlight = this.writing.get(key);
    if (inFlight) return inFlight;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const parsed = ModelResponse.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** Store a response. Returns at once; the write completes in the background (see `flush`). */
  put(key: string, response: ModelResponse): void {
    const file = this.pathOf(key);
    this.writing.set(key, response);
    const done = this.write(file, JSON.stringify(response))
      .catch((e: Error) => {
        this.failure ??= e;
      })
      .finally(() => {
        if (this.writing.get(key) === response) this.writing.delete(key);
        this.pending.delete(done);
      });
    this.pending.add(done);
  }

  private async write(file: string, text: string): Promise<void> {
    const dir = join(file, '..');
    if (!this.madeDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, text);
    await rename(tmp, file);
  }

  /** Wait for every write in progress; throws the first write error (a full disk, say). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    if (this.failure) throw this.failure;
  }
}
