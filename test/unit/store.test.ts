import { describe, expect, it } from 'vitest';
import { appendFileSync, openSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ResponseStore } from '../../src/run/store.ts';
import { sha256 } from '../../src/core/hash.ts';
import { tempDir } from '../helpers/tmp.ts';

const response = { content: '{"recommendation":"Yes"}', reasoning: null, finish_reason: 'stop', usage: { prompt_tokens: 10, completion_tokens: 5 }, model: 'm' };

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
}

describe('ResponseStore', () => {
  it('indexes many responses (the table grows) and tells apart keys that share their first 96 bits', () => {
    const dir = tempDir();
    const store = new ResponseStore(dir);
    const keys = Array.from({ length: 5000 }, (_, i) => sha256(`k${i}`));
    keys.forEach((k, i) => store.put(k, { ...response, content: `answer ${i}` }));
    expect(store.size).toBe(5000);
    const reopened = new ResponseStore(dir);
    expect(reopened.size).toBe(5000);
    for (const i of [0, 1, 999, 4999]) expect(reopened.get(keys[i]!)!.content).toBe(`answer ${i}`);
    // Same first 24 hex digits, different key: never served the other's answer.
    const twin = keys[7]!.slice(0, 24) + 'f'.repeat(40);
    expect(reopened.get(twin)).toBeUndefined();
    reopened.close();
    store.close();
  });

  it('returns what was put, by key, and nothing for an unknown key; a new instance sees it too', () => {
    const dir = tempDir();
    const store = new ResponseStore(dir);
    const key = sha256('a');
    expect(store.get(key)).toBeUndefined();
    expect(store.has(key)).toBe(false);
    store.put(key, response);
    expect(store.has(key)).toBe(true);
    expect(store.get(key)).toEqual(response);
    expect(store.get(sha256('b'))).toBeUndefined();
    store.close();
    const again = new ResponseStore(dir);
    expect(again.get(key)).toEqual(response);
    expect(again.size).toBe(1);
  });

  it('appends to one pack per process; the last put of a key wins', () => {
    const dir = tempDir();
    const store = new ResponseStore(dir);
    const key = sha256('x');
    store.put(key, response);
    store.put(key, { ...response, content: 'again' });
    store.put(sha256('y'), response);
    expect(allFiles(dir)).toHaveLength(1);
    expect(store.get(key)?.content).toBe('again');
    store.close();
    expect(new ResponseStore(dir).get(key)?.content).toBe('again');
  });

  it('skips a torn last line left by a crash, and two writers keep separate packs', () => {
    const dir = tempDir();
    const a = new ResponseStore(dir);
    a.put(sha256('1'), response);
    a.close();
    const [pack] = allFiles(dir);
    appendFileSync(pack!, `{"k":"${sha256('2')}","r":{"content":"half`);
    const b = new ResponseStore(dir);
    expect(b.get(sha256('1'))).toEqual(response);
    expect(b.has(sha256('2'))).toBe(false);
    b.put(sha256('3'), response);
    b.close();
    expect(allFiles(dir)).toHaveLength(2);
    expect(new ResponseStore(dir).size).toBe(2);
  });

  it('reads an entry that is not a response as absent', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'packs'));
    writeFileSync(join(dir, 'packs', 'old.jsonl'), `{"k":"${sha256('c')}","r":{"unexpected":true}}\n`);
    expect(new ResponseStore(dir).get(sha256('c'))).toBeUndefined();
  });

  it('refuses keys that are not sha256 hex, so a key can never become a path', () => {
    const store = new ResponseStore(tempDir());
    expect(() => store.get('../../etc/passwd')).toThrow(/not a request key/);
    expect(() => store.put('ab', response)).toThrow(/not a request key/);
  });

  it('throws on a write to a full disk', () => {
    const store = new ResponseStore(tempDir());
    (store as unknown as { pack: unknown }).pack = { file: '/dev/full', fd: openSync('/dev/full', 'a'), size: 0 };
    expect(() => store.put(sha256('z'), response)).toThrow(/ENOSPC/);
  });
});
