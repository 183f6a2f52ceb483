import { createReadStream, closeSync, fsyncSync, openSync, writeSync, existsSync, statSync, ftruncateSync, readSync, constants } from 'node:fs';
import { createInterface } from 'node:readline';
import type { z } from 'zod';
import { UserError, zodToUserError } from './errors.ts';

export interface JsonlLine<T> {
  /** 1-based line number in the file. */
  line: number;
  value: T;
}

export interface ReadJsonlOptions {
  /** A last line without its newline that does not parse is a torn write from a crash: skip it instead of failing. */
  tolerateTornTail?: boolean;
  /** Longest accepted line, in characters. @default 8_000_000 */
  maxLineLength?: number;
  /** The file's name in error messages (e.g. relative to the project root). @default the path */
  display?: string;
}

/**
 * Stream a JSONL file line by line, validating each line with a zod schema.
 * Blank lines are skipped; a BOM and CRLF line ends are accepted.
 * A line that is not JSON or does not match the schema is a UserError naming file, line and field.
 */
export async function* readJsonl<S extends z.ZodType>(
  path: string,
  schema: S,
  options: ReadJsonlOptions = {},
): AsyncGenerator<JsonlLine<z.infer<S>>> {
  const maxLen = options.maxLineLength ?? 8_000_000;
  const file = options.display ?? path;
  const endsWithNewline = options.tolerateTornTail ? fileEndsWithNewline(path) : true;
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  let pending: { line: number; text: string } | undefined;
  const parse = (line: number, text: string, isLast: boolean): z.infer<S> | undefined => {
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === '') return undefined;
    if (text.length > maxLen) {
      throw new UserError(`line is ${text.length} characters, longer than the limit of ${maxLen}`, { file, line, hint: 'Split the row or raise the limit.' });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      if (isLast && !endsWithNewline) return undefined; // torn tail of a crashed write
      throw new UserError(`not valid JSON (${(e as Error).message})`, { file, line, hint: 'Each line must be one JSON object.' });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw zodToUserError(parsed.error, file, line);
    return parsed.data;
  };
  try {
    for await (const text of rl) {
      lineNo++;
      if (pending) {
        const v = parse(pending.line, pending.text, false);
        if (v !== undefined) yield { line: pending.line, value: v };
      }
      pending = { line: lineNo, text };
    }
    if (pending) {
      const v = parse(pending.line, pending.text, true);
      if (v !== undefined) yield { line: pending.line, value: v };
    }
  } finally {
    rl.close();
  }
}

function fileEndsWithNewline(file: string): boolean {
  if (!existsSync(file)) return true;
  const size = statSync(file).size;
  if (size === 0) return true;
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1);
    readSync(fd, buf, 0, 1, size - 1);
    return buf[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}

/**
 * Cut a torn last line (no trailing newline) left by a crash, so appends start on a fresh line.
 * Returns the number of bytes removed.
 */
export function repairTornTail(file: string): number {
  if (!existsSync(file)) return 0;
  const size = statSync(file).size;
  if (size === 0) return 0;
  const fd = openSync(file, 'r+');
  try {
    const chunk = Math.min(size, 1 << 20);
    const buf = Buffer.alloc(chunk);
    readSync(fd, buf, 0, chunk, size - chunk);
    if (buf[chunk - 1] === 0x0a) return 0;
    const lastNl = buf.lastIndexOf(0x0a);
    const keep = lastNl === -1 ? (chunk === size ? 0 : size - chunk) : size - chunk + lastNl + 1;
    ftruncateSync(fd, keep);
    return size - keep;
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends one JSON line per call with a synchronous write, so a record is in the kernel
 * the moment the call returns and survives SIGKILL of this process.
 */
export class JsonlAppender {
  private fd: number | undefined;
  readonly file: string;
  constructor(file: string) {
    this.file = file;
    // Never through a symbolic link (a link planted in a run directory must not get our lines).
    this.fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
  }
  append(value: unknown): void {
    if (this.fd === undefined) throw new Error(`JsonlAppender: ${this.file} is closed`);
    writeSync(this.fd, JSON.stringify(value) + '\n');
  }
  close(sync = true): void {
    if (this.fd === undefined) return;
    if (sync) fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }
}
