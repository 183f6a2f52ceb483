import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { JsonlAppender, readJsonl, repairTornTail } from '../../src/core/jsonl.ts';
import { UserError } from '../../src/core/errors.ts';
import { tempDir } from '../helpers/tmp.ts';

const Row = z.strictObject({ id: z.string(), n: z.number() });

async function collect(file: string, tolerate = false) {
  const out: Array<{ line: number; id: string }> = [];
  for await (const { line, value } of readJsonl(file, Row, { tolerateTornTail: tolerate })) out.push({ line, id: value.id });
  return out;
}

async function errorOf(file: string): Promise<UserError> {
  try {
    await collect(file);
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('readJsonl', () => {
  it('accepts a BOM, CRLF line ends and blank lines, keeping true line numbers', async () => {
    const file = join(tempDir(), 'a.jsonl');
    writeFileSync(file, '\uFEFF{"id":"a","n":1}\r\n\r\n{"id":"b","n":2}\r\n');
    expect(await collect(file)).toEqual([
      { line: 1, id: 'a' },
      { line: 3, id: 'b' },
    ]);
  });

  it('names the line of malformed JSON', async () => {
    const file = join(tempDir(), 'b.jsonl');
    writeFileSync(file, '{"id":"a","n":1}\n{"id":"b", n: 2}\n');
    const err = await errorOf(file);
    expect(err.line).toBe(2);
    expect(err.file).toBe(file);
    expect(err.message).toMatch(/not valid JSON/);
  });

  it('names the line and field of a schema mismatch', async () => {
    const file = join(tempDir(), 'c.jsonl');
    writeFileSync(file, '{"id":"a","n":1}\n{"id":"b","n":"2"}\n');
    const err = await errorOf(file);
    expect(err.line).toBe(2);
    expect(err.field).toBe('n');
  });

  it('skips a torn last line only when asked to, and repairTornTail cuts it', async () => {
    const file = join(tempDir(), 'd.jsonl');
    writeFileSync(file, '{"id":"a","n":1}\n{"id":"b","n":2}\n{"id":"c","n"');
    expect((await collect(file, true)).map((r) => r.id)).toEqual(['a', 'b']);
    await expect(collect(file)).rejects.toThrow(/not valid JSON/);
    expect(repairTornTail(file)).toBe('{"id":"c","n"'.length);
    expect(readFileSync(file, 'utf8')).toBe('{"id":"a","n":1}\n{"id":"b","n":2}\n');
    expect(repairTornTail(file)).toBe(0);
  });
});

describe('JsonlAppender', () => {
  it('appends one line per record, readable at once', async () => {
    const file = join(tempDir(), 'e.jsonl');
    const w = new JsonlAppender(file);
    w.append({ id: 'a', n: 1 });
    expect(readFileSync(file, 'utf8')).toBe('{"id":"a","n":1}\n');
    w.append({ id: 'b', n: 2 });
    w.close();
    expect((await collect(file)).map((r) => r.id)).toEqual(['a', 'b']);
    expect(() => w.append({ id: 'c', n: 3 })).toThrow(/closed/);
  });
});
