import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelResponse } from '../core/records.ts';

/**
 * Content-addressed store of model responses, keyed by the request key (a sha256 of model,
 * messages, sampling params and extra body). One small JSON file per response under a
 * two-level fan-out (`ab/cd/<key>.json`), written to a temporary name and renamed, so a
 * crash never leaves a half-written entry and concurrent runs can share one store.
 * Only successful responses are stored; errors are never cached. No headers, no keys.
 */
export class ResponseStore {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
  }

  private pathOf(key: string): string {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`ResponseStore: not a request key: ${key}`);
    return join(this.dir, key.slice(0, 2), key.slice(2, 4), `${key}.json`);
  }

  has(key: string): boolean {
    return existsSync(this.pathOf(key));
  }

  /** The stored response, or undefined. A corrupt entry reads as absent (and will be overwritten). */
  get(key: string): ModelResponse | undefined {
    const file = this.pathOf(key);
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

  put(key: string, response: ModelResponse): void {
    const file = this.pathOf(key);
    mkdirSync(join(file, '..'), { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, JSON.stringify(response));
    renameSync(tmp, file);
  }
}
