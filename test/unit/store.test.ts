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
  it('returns what was put, by key, and nothing for an unknown key', async () => {
    const store = new ResponseStore(tempDir());
    const key = sha256('a');
    expect(store.get(key)).toBeUndefined();
    expect(store.has(key)).toBe(false);
    store.put(key, response);
    await store.flush();
    expect(store.has(key)).toBe(true);
    expect(store.get(key)).toEqual(response);
    expect(store.get(sha256('b'))).toBeUndefined();
  });

  it('fans out by the first byte of the key and leaves no temporary files', async () => {
    const dir = tempDir();
    const store = new ResponseStore(dir);
    const key = sha256('x');
    store.put(key, response);
    await store.flush();
    store.put(key, { ...response, content: 'again' });
    await store.flush();
    expect(allFiles(dir)).toEqual([join(dir, key.slice(0, 2), `${key}.json`)]);
    expect(store.get(key)?.content).toBe('again');
  });

  it('reads a corrupt or foreign entry as absent', () => {
    const dir = tempDir();
    const store = new ResponseStore(dir);
    const key = sha256('c');
    mkdirSync(join(dir, key.slice(0, 2)), { recursive: true });
    writeFileSync(join(dir, key.slice(0, 2), `${key}.json`), '{"content": "half');
    expect(store.get(key)).toBeUndefined();
    writeFileSync(join(dir, key.slice(0, 2), `${key}.json`), '{"unexpected": true}');
    expect(store.get(key)).toBeUndefined();
  });

  it('refuses keys that are not sha256 hex, so a key can never become a path', () => {
    const store = new ResponseStore(tempDir());
    expect(() => store.get('../../etc/passwd')).toThrow(/not a request key/);
    expect(() => store.put('ab', response)).toThrow(/not a request key/);
  });

  it('reports a failed write (a full disk) on flush', async () => {
    const dir = tempDir();
    const store = new ResponseStore(dir);
    const key = sha256('z');
    writeFileSync(join(dir, key.slice(0, 2)), 'a file where the shard folder should be');
    store.put(key, response);
    expect(store.get(key)).toEqual(response); // readable while the write is in flight
    await expect(store.flush()).rejects.toThrow(/EEXIST|ENOTDIR/);
  });
});
