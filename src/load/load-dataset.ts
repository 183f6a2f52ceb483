import { closeSync, createReadStream, existsSync, openSync, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { join, relative, resolve, sep } from 'node:path';
import { DatasetManifest, ItemRow } from '../core/records.ts';
import type { RowCheck } from './item-check.ts';
import { RowProblems } from './row-problems.ts';
import { valueAt } from '../core/task-records.ts';
import { UserError } from '../core/errors.ts';
import { readJsonFile } from '../core/json-file.ts';
import { seededRank } from '../core/random.ts';

export interface LoadedDataset {
  manifest: DatasetManifest;
  /** Path of the data file relative to the project root. */
  file: string;
  rows: ItemRow[];
  /** Rows in the dataset before sampling. */
  total: number;
}

export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The gold label a sample is stratified by: where the row's `gold` holds it and its scale. A value off
 * the scale (or no stratification) falls in one class of its own.
 * @example { gold: 'priority', scale: ['P1', 'P2', 'P3'] }
 */
export interface StratifyBy {
  gold: string;
  scale: readonly string[];
}

/** The stratum index of a gold object (the scale's length for a value off it). */
function classOf(gold: unknown, by: StratifyBy | undefined): number {
  if (!by) return 0;
  const v = valueAt(gold, by.gold);
  const i = typeof v === 'string' ? by.scale.indexOf(v) : -1;
  return i < 0 ? by.scale.length : i;
}

/**
 * An opened dataset: every row validated once, then only ids, gold classes and byte offsets kept
 * in memory. Rows are read back from disk by id or position on demand, so a 200K-row dataset
 * costs a few MB, not the rows themselves.
 */
export interface DatasetIndex {
  manifest: DatasetManifest;
  /** Path of the data file relative to the project root. */
  file: string;
  total: number;
  /** Item ids in dataset order. */
  ids: string[];
  /** Per row, the index of its gold value on the stratification label's scale (see StratifyBy). */
  classes: Uint8Array;
  /** The row with this id, or undefined. */
  get(id: string): ItemRow | undefined;
  /** The row at this position (dataset order). */
  rowAt(i: number): ItemRow;
  /** 1-based line of a row in the data file. */
  lineAt(i: number): number;
  close(): void;
}

function manifestOf(root: string, name: string): { manifest: DatasetManifest; abs: string; file: string; manifestRel: string } {
  const dir = join(root, 'datasets', name);
  const manifestFile = join(dir, 'manifest.json');
  const manifestRel = relative(root, manifestFile);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name) || !existsSync(manifestFile)) {
    throw new UserError(`no dataset named \`${name}\``, { file: manifestRel, hint: 'Each dataset is a folder under datasets/ with a manifest.json.' });
  }
  const manifest = readJsonFile(manifestFile, DatasetManifest, undefined, manifestRel);
  const abs = resolve(dir, manifest.file);
  if (!abs.startsWith(resolve(dir) + sep)) {
    throw new UserError('the data file must sit inside the dataset folder', { file: manifestRel, field: 'file' });
  }
  return { manifest, abs, file: relative(root, abs), manifestRel };
}

/**
 * Open `datasets/<name>/`: check the data file against the manifest's sha256 and row count,
 * validate every row (errors name file, line and field; duplicate ids name both lines), and
 * index it. One streaming pass; memory grows with the number of rows, not their size.
 */
export async function openDataset(root: string, name: string, stratify?: StratifyBy, check?: RowCheck): Promise<DatasetIndex> {
  const { manifest, abs, file, manifestRel } = manifestOf(root, name);
  if (!existsSync(abs)) throw new UserError('data file not found', { file, hint: `Named by ${manifestRel}.` });
  const actual = await fileSha256(abs);
  if (actual !== manifest.sha256) {
    throw new UserError(`the data file's sha256 is ${actual.slice(0, 12)}…, but the manifest says ${manifest.sha256.slice(0, 12)}…`, {
      file,
      hint: `Released dataset versions are immutable. If you meant to change the data, release a new version (bump "version" in ${manifestRel} and update its sha256 and rows).`,
    });
  }
  const ids: string[] = [];
  const classes: number[] = [];
  const offsets: number[] = [];
  const lengths: number[] = [];
  const lines: number[] = [];
  const position = new Map<string, number>();
  const problems = new RowProblems(file);
  for await (const { line, offset, bytes, text, utf8, tooLong } of readLinesWithOffsets(abs)) {
    if (tooLong) {
      problems.add(line, undefined, `line is ${bytes} bytes, longer than the limit of 8 MB`, 'A row this large is almost certainly a broken row (two rows joined, or a whole file on one line).');
      continue;
    }
    if (text.trim() === '') continue;
    if (!utf8) {
      // Decoding would turn the bad bytes into U+FFFD and the row would pass with a changed value.
      let field: string | undefined;
      try {
        field = pathOfReplacement(JSON.parse(text));
      } catch {
        field = undefined;
      }
      problems.add(line, field, 'the line is not valid UTF-8', 'Save the data file as UTF-8 (a file exported as Latin-1 or Windows-1252 shows this), then release it as a new dataset version.');
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      const whole = line === 1 && /^\s*\[\s*$/.test(text);
      problems.add(line, undefined, `not valid JSON (${(e as Error).message})`, whole ? 'The file looks like one JSON array; a dataset is JSONL: one JSON object per line, no enclosing [ ].' : 'Each line must be one JSON object.');
      continue;
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      const kind = json === null ? 'null' : Array.isArray(json) ? 'a JSON array' : `a JSON ${typeof json}`;
      problems.add(line, undefined, `the line holds ${kind}, not an object`, 'Each line must be one JSON object: {"id": "...", "gold": {...}, ...the fields the task\'s item schema names}.');
      continue;
    }
    const parsed = ItemRow.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
      problems.add(line, field, issue.message, field === 'id' ? 'Give every row an `id`: letters, digits, `-`, `_` or `.`.' : field === 'gold' ? 'Give every row a `gold` object with its human labels.' : 'Fix the row as the message says.');
      continue;
    }
    const problem = check?.(json);
    if (problem) {
      problems.add(line, problem.field, problem.message, problem.hint ?? "The task's item schema says what a row holds.");
      continue;
    }
    const row = parsed.data;
    const prev = position.get(row.id);
    if (prev !== undefined) {
      problems.add(line, 'id', `duplicate item id \`${row.id}\` (first on line ${lines[prev]})`, 'Item ids must be unique within a dataset.');
      continue;
    }
    position.set(row.id, ids.length);
    ids.push(row.id);
    classes.push(classOf(row.gold, stratify));
    offsets.push(offset);
    lengths.push(bytes);
    lines.push(line);
  }
  problems.throwIfAny();
  if (ids.length === 0) throw new UserError('the dataset has no rows', { file, hint: 'An eval needs at least one labelled row.' });
  if (ids.length !== manifest.rows) {
    throw new UserError(`the data file has ${ids.length} rows, the manifest says ${manifest.rows}`, { file: manifestRel, field: 'rows' });
  }
  let fd: number | undefined = openSync(abs, 'r');
  const rowAt = (i: number): ItemRow => {
    if (fd === undefined) fd = openSync(abs, 'r');
    const buf = Buffer.allocUnsafe(lengths[i]!);
    readSync(fd, buf, 0, buf.length, offsets[i]!);
    let text = buf.toString('utf8');
    if (i === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return ItemRow.parse(JSON.parse(text));
  };
  return {
    manifest,
    file,
    total: ids.length,
    ids,
    classes: Uint8Array.from(classes),
    get: (id) => {
      const i = position.get(id);
      return i === undefined ? undefined : rowAt(i);
    },
    rowAt,
    lineAt: (i) => lines[i]!,
    close: () => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/** Longest data line read (bytes); a longer one is reported, not decoded. */
const MAX_LINE_BYTES = 8_000_000;

/**
 * Lines of a file with their byte offsets (CR of CRLF dropped from text and length). A line longer than
 * MAX_LINE_BYTES comes back with its length and no text, and is never held whole: a file of one huge line
 * (a JSON array export, a missing newline) costs MAX_LINE_BYTES of memory, not the file.
 */
async function* readLinesWithOffsets(file: string): AsyncGenerator<{ line: number; offset: number; bytes: number; text: string; utf8: boolean; tooLong: boolean }> {
  let carry = Buffer.alloc(0);
  let base = 0; // file offset of carry[0]
  let line = 0;
  let long: { offset: number; bytes: number } | null = null; // an over-long line being skipped
  for await (const chunk of createReadStream(file)) {
    let buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let nl = buf.indexOf(0x0a, start); nl !== -1; nl = buf.indexOf(0x0a, start)) {
      line++;
      if (long) {
        yield { line, offset: long.offset, bytes: long.bytes + (nl - start), text: '', utf8: true, tooLong: true };
        long = null;
      } else {
        const end = nl > start && buf[nl - 1] === 0x0d ? nl - 1 : nl;
        if (end - start > MAX_LINE_BYTES) yield { line, offset: base + start, bytes: end - start, text: '', utf8: true, tooLong: true };
        else yield { line, offset: base + start, bytes: end - start, text: decodeLine(buf, start, end, line), utf8: isUtf8(buf.subarray(start, end)), tooLong: false };
      }
      start = nl + 1;
    }
    if (long) {
      long.bytes += buf.length - start;
      carry = Buffer.alloc(0);
    } else if (buf.length - start > MAX_LINE_BYTES) {
      long = { offset: base + start, bytes: buf.length - start };
      carry = Buffer.alloc(0);
    } else carry = Buffer.from(buf.subarray(start));
    base += buf.length - carry.length;
    buf = carry;
  }
  if (long) {
    yield { line: line + 1, offset: long.offset, bytes: long.bytes, text: '', utf8: true, tooLong: true };
  } else if (carry.length > 0) {
    line++;
    const end = carry[carry.length - 1] === 0x0d ? carry.length - 1 : carry.length;
    yield { line, offset: base, bytes: end, text: decodeLine(carry, 0, end, line), utf8: isUtf8(carry.subarray(0, end)), tooLong: false };
  }
}

function decodeLine(buf: Buffer, start: number, end: number, line: number): string {
  const text = buf.toString('utf8', start, end);
  return line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Open a dataset and read every row into memory: for small datasets, stats and tests. */
export async function loadDataset(root: string, name: string, check?: RowCheck): Promise<LoadedDataset> {
  const index = await openDataset(root, name, undefined, check);
  try {
    const rows = index.ids.map((_, i) => index.rowAt(i));
    return { manifest: index.manifest, file: index.file, rows, total: index.total };
  } finally {
    index.close();
  }
}

/**
 * A seeded sample of `n` positions, stratified by a gold label's class (largest-remainder
 * allocation), so a small sample keeps the class balance. Ranks are per id, so growing the
 * dataset does not reshuffle the rows already chosen. Positions come back in dataset order.
 */
export function samplePositions(ids: readonly string[], classes: ArrayLike<number>, n: number, seed: number): number[] {
  const all = ids.map((_, i) => i);
  if (n >= ids.length) return all;
  const byClass = new Map<number, number[]>();
  for (const i of all) {
    const k = classes[i]!;
    let list = byClass.get(k);
    if (!list) byClass.set(k, (list = []));
    list.push(i);
  }
  const quotas = [...byClass.entries()].map(([k, list]) => {
    const exact = (n * list.length) / ids.length;
    return { k, list, take: Math.floor(exact), rem: exact - Math.floor(exact) };
  });
  let left = n - quotas.reduce((s, q) => s + q.take, 0);
  for (const q of [...quotas].sort((a, b) => b.rem - a.rem || a.k - b.k)) {
    if (left <= 0) break;
    q.take++;
    left--;
  }
  const chosen: number[] = [];
  for (const q of quotas) {
    q.list
      .map((i) => ({ i, rank: seededRank(seed, ids[i]!) }))
      .sort((a, b) => (a.rank < b.rank ? -1 : 1))
      .slice(0, q.take)
      .forEach((r) => chosen.push(r.i));
  }
  // Dataset order, so runs read naturally and prefix-sharing requests stay together.
  return chosen.sort((a, b) => a - b);
}

/** `samplePositions` over rows in memory, stratified by a gold label. */
export function sampleRows<R extends ItemRow>(rows: R[], n: number, seed: number, stratify: StratifyBy | undefined): R[] {
  return samplePositions(
    rows.map((r) => r.id),
    rows.map((r) => classOf(r.gold, stratify)),
    n,
    seed,
  ).map((i) => rows[i]!);
}

/** The dotted path of the first string holding U+FFFD (where the undecodable bytes were), if any. */
function pathOfReplacement(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\uFFFD') ? path || undefined : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = pathOfReplacement(value[i], path ? `${path}.${i}` : String(i));
      if (p) return p;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = pathOfReplacement(v, path ? `${path}.${k}` : k);
      if (p) return p;
    }
  }
  return undefined;
}
