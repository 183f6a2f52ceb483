/**
 * The run directory, for the composition root: created only where it can be, resumed only when it is the
 * same run, results read back after a crash, errors set aside for --retry-errors, JSON written atomically.
 */
import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { RUN_FILES, ResultRecord, type RunManifest } from './core/records.ts';
import { UserError } from './core/errors.ts';
import { JsonlAppender, readJsonl, repairTornTail } from './core/jsonl.ts';
import { slotId } from './run/run-group.ts';

/** Fail early (before probing servers) when the run directory could never be created. */
export function assertCreatable(runDir: string, root: string): void {
  let dir = runDir;
  while (!existsSync(dir)) {
    const parent = dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
  if (!statSync(dir).isDirectory()) {
    throw new UserError(`cannot create the run directory: ${relative(root, dir) || dir} is a file`, { file: relative(root, runDir) || runDir, field: '--out', hint: 'Choose an --out inside a folder.' });
  }
}

/** A resumed run must be the same run: same eval file, dataset and prompt texts. */
export function checkResumable(saved: RunManifest, now: RunManifest, runDir: string): void {
  const diffs: string[] = [];
  if (saved.eval.sha256 !== now.eval.sha256) diffs.push(`the eval definition ${now.eval.file}`);
  if (saved.dataset.sha256 !== now.dataset.sha256) diffs.push(`dataset ${now.dataset.name}`);
  for (const p of saved.prompt.versions) {
    const cur = now.prompt.versions.find((v) => v.version === p.version);
    if (cur?.sha256 !== p.sha256) diffs.push(`prompt ${now.prompt.name}@${p.version}`);
  }
  if (diffs.length) {
    throw new UserError(`cannot resume: ${diffs.join(', ')} changed since the run started`, {
      file: join(runDir, RUN_FILES.manifest),
      hint: 'Start a new run instead (unchanged requests are answered from the store, so it costs nothing extra).',
    });
  }
}

export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  renameSync(tmp, file);
}

/** Read the slots already recorded in a run's results (after cutting a torn last line). */
export async function readDoneSlots(resultsFile: string): Promise<Set<string>> {
  const done = new Set<string>();
  if (!existsSync(resultsFile)) return done;
  repairTornTail(resultsFile);
  for await (const { value } of readJsonl(resultsFile, ResultRecord, { tolerateTornTail: true })) {
    done.add(slotId(value.model, value.prompt_version, value.item_id));
  }
  return done;
}

/**
 * `--retry-errors`: move the result lines that ended in an error out of results.jsonl (appended to
 * retried-errors.jsonl, so nothing is lost) so that those items are sent again. results.jsonl is
 * rewritten through a temporary file and a rename: a crash leaves either the old or the new file.
 * Returns how many lines moved.
 */
export async function setAsideErrors(runDir: string): Promise<number> {
  const resultsFile = join(runDir, RUN_FILES.results);
  if (!existsSync(resultsFile)) return 0;
  repairTornTail(resultsFile);
  const keep: string[] = [];
  const moved: string[] = [];
  for await (const { value } of readJsonl(resultsFile, ResultRecord, { tolerateTornTail: true })) {
    (value.error !== null || value.response === null ? moved : keep).push(JSON.stringify(value));
  }
  if (moved.length === 0) return 0;
  const archive = new JsonlAppender(join(runDir, RETRIED_ERRORS));
  try {
    for (const line of moved) archive.append(JSON.parse(line));
  } finally {
    archive.close();
  }
  const tmp = `${resultsFile}.tmp`;
  writeFileSync(tmp, keep.length ? keep.join('\n') + '\n' : '');
  renameSync(tmp, resultsFile);
  return moved.length;
}

/** Where `--retry-errors` keeps the error lines it replaced. */
export const RETRIED_ERRORS = 'retried-errors.jsonl';
