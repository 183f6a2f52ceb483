import { describe, expect, it } from 'vitest';
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ResponseStore } from '../../src/run/store.ts';
import { sha256 } from '../../src/core/hash.ts';
import { tempDir } from '../helpers/tmp.ts';

const response = { content: '{"recommendation":"Yes"}', reasoning: null, finish_reason: 'stop', usage: { prompt_tokens: 10, completion_tokens: 5 }, model: 'm' };

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
}

describe('ResponseStore', () => {
  it('returns what was put, by key, and nothing for an unknown key', () => {
    const store = new ResponseStore(tempDir());
    const key = sha256('a');
    expect(store.get(key)).toBeUndefined();
    expect(store.has(key)).toBe(false);
    store.put(key, response);
    expect(store.has(key)).toBe(true);
    expect(store.get(key)).toEqual(response);
    expect(store.get(sha256('b'))).toBeUndefined();
  });

  it('fans out into two levels and leaves no temporary files', () => {
    const dir = tempDir();
    const store = new ResponseStore(dir);
    const key = sha256('x');
    store.put(key, response);
    store.put(key, { ...response, content: 'again' });
    expect(allFiles(dir)).toEqual([join(dir, key.slice(0, 2), key.slice(2, 4), `${key}.json`)]);
    expect(store.get(key)?.content).toBe('again');
  });

  it('reads a corrupt or foreign entry as absent', () => {
    const dir = tempDir();
    const store = new ResponseStore(dir);
    const key = sha256('c');
    mkdirSync(join(dir, key.slice(0, 2), key.slice(2, 4)), { recursive: true });
    writeFileSync(join(dir, key.slice(0, 2), key.slice(2, 4), `${key}.json`), '{"content": "half');
    expect(store.get(key)).toBeUndefined();
    writeFileSync(join(dir, key.slice(0, 2), key.slice(2, 4), `${key}.json`), '{"unexpected": true}');
    expect(store.get(key)).toBeUndefined();
  });

  it('refuses keys that are not sha256 hex, so a key can never become a path', () => {
    const store = new ResponseStore(tempDir());
    expect(() => store.get('../../etc/passwd')).toThrow(/not a request key/);
    expect(() => store.put('ab', response)).toThrow(/not a request key/);
  });
});
