import { createReadStream, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative, resolve, sep } from 'node:path';
import { DatasetManifest, DatasetRow } from '../core/records.ts';
import { UserError } from '../core/errors.ts';
import { readJsonFile } from '../core/json-file.ts';
import { readJsonl } from '../core/jsonl.ts';
import { seededRank } from '../core/random.ts';

export interface LoadedDataset {
  manifest: DatasetManifest;
  /** Path of the data file relative to the project root. */
  file: string;
  rows: DatasetRow[];
  /** Rows in the dataset before sampling. */
  total: number;
}

export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Load `datasets/<name>/manifest.json` and its data file, checking the file against the
 * manifest's sha256 and row count. Rows are validated; duplicate ids name both lines.
 */
export async function loadDataset(root: string, name: string): Promise<LoadedDataset> {
  const dir = join(root, 'datasets', name);
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new UserError(`no dataset named \`${name}\``, { file: relative(root, manifestFile), hint: 'Each dataset is a folder under datasets/ with a manifest.json.' });
  }
  const manifest = readJsonFile(manifestFile, DatasetManifest, undefined, relative(root, manifestFile));
  const abs = resolve(dir, manifest.file);
  const file = relative(root, abs);
  if (!abs.startsWith(resolve(dir) + sep)) {
    throw new UserError('the data file must sit inside the dataset folder', { file: relative(root, manifestFile), field: 'file' });
  }
  if (!existsSync(abs)) throw new UserError('data file not found', { file, hint: `Named by ${relative(root, manifestFile)}.` });
  const actual = await fileSha256(abs);
  if (actual !== manifest.sha256) {
    throw new UserError(`the data file's sha256 is ${actual.slice(0, 12)}…, but the manifest says ${manifest.sha256.slice(0, 12)}…`, {
      file,
      hint: `Released dataset versions are immutable. If you meant to change the data, release a new version (bump "version" in ${relative(root, manifestFile)} and update its sha256 and rows).`,
    });
  }
  const rows: DatasetRow[] = [];
  const lineOf = new Map<string, number>();
  for await (const { line, value } of readJsonl(abs, DatasetRow, { display: file })) {
    const prev = lineOf.get(value.id);
    if (prev !== undefined) {
      throw new UserError(`duplicate item id \`${value.id}\` (first on line ${prev})`, { file, line, field: 'id', hint: 'Item ids must be unique within a dataset.' });
    }
    lineOf.set(value.id, line);
    rows.push(value);
  }
  if (rows.length !== manifest.rows) {
    throw new UserError(`the data file has ${rows.length} rows, the manifest says ${manifest.rows}`, { file: relative(root, manifestFile), field: 'rows' });
  }
  return { manifest, file, rows, total: rows.length };
}

/**
 * A seeded sample of `n` rows, stratified by gold recommendation (largest-remainder allocation),
 * so a small sample keeps the class balance. Ranks are per id, so growing the dataset
 * does not reshuffle the rows already chosen.
 */
export function sampleRows(rows: DatasetRow[], n: number, seed: number): DatasetRow[] {
  if (n >= rows.length) return rows;
  const byClass = new Map<string, DatasetRow[]>();
  for (const row of rows) {
    const k = row.gold.recommendation;
    let list = byClass.get(k);
    if (!list) byClass.set(k, (list = []));
    list.push(row);
  }
  const quotas = [...byClass.entries()].map(([k, list]) => {
    const exact = (n * list.length) / rows.length;
    return { k, list, take: Math.floor(exact), rem: exact - Math.floor(exact) };
  });
  let left = n - quotas.reduce((s, q) => s + q.take, 0);
  for (const q of [...quotas].sort((a, b) => b.rem - a.rem || a.k.localeCompare(b.k))) {
    if (left <= 0) break;
    q.take++;
    left--;
  }
  const chosen = new Set<string>();
  for (const q of quotas) {
    q.list
      .map((r) => ({ id: r.id, rank: seededRank(seed, r.id) }))
      .sort((a, b) => (a.rank < b.rank ? -1 : 1))
      .slice(0, q.take)
      .forEach((r) => chosen.add(r.id));
  }
  // Keep dataset order so runs read naturally and prefix-sharing requests stay together.
  return rows.filter((r) => chosen.has(r.id));
}
