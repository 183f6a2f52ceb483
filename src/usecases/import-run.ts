/**
 * The import use case: score a batch output file (vLLM run-batch or OpenAI Batch) into a new run directory,
 * like a run. Commands `import` and `batch` call it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { RUN_FILES, type RunManifest } from '../core/records.ts';
import { loadEval } from '../load/load-eval.ts';
import { loadModels } from '../load/load-models.ts';
import { openDataset } from '../load/load-dataset.ts';
import { loadPromptVersion } from '../load/load-prompts.ts';
import { importBatchOutput } from '../run/import-batch.ts';
import { batchFileKind } from '../run/batch-file-kind.ts';
import { assertScorerIds } from '../score/score-run.ts';
import { qualbenchVersion } from '../pipeline.ts';
import { finishRun, itemLookup } from '../finish-run.ts';
import { loadEvalTask, scoringTask, stratifyLabel } from '../run-task.ts';
import { runStamp } from '../core/stamp.ts';

/** Score a batch output file (vLLM run-batch or OpenAI Batch) into a new run directory, like a run. */
export async function importBatchRun(root: string, opts: { file: string; model: string; promptVersion?: string; evalName?: string; out?: string }) {
  const { file } = opts;
  // Named for what it is (a request file, another endpoint's output), before anything is loaded or written.
  const kind = existsSync(file) ? await batchFileKind(file) : null;
  if (kind && !kind.ok) throw new UserError(`the file is ${kind.what}`, { file: relative(root, resolve(file)) || file, line: kind.line, hint: kind.advice });
  const loaded = loadEval(root, opts.evalName);
  const def = loaded.definition;
  const scorers = assertScorerIds(def.scorers, loaded.file, await scoringTask(loadEvalTask(root, def)));
  if (!opts.promptVersion && def.prompt_versions.length > 1) {
    throw new UserError(`the eval has prompt versions ${def.prompt_versions.join(', ')}: say which one rendered this batch`, { field: '--prompt-version', hint: `e.g. --prompt-version ${def.prompt_versions[def.prompt_versions.length - 1]}` });
  }
  const version = opts.promptVersion ?? def.prompt_versions[0]!;
  const prompt = loadPromptVersion(root, def.prompt, version);
  const task = loadEvalTask(root, def);
  const dataset = await openDataset(root, def.dataset, stratifyLabel(task), task.checkRow ?? undefined);
  try {
    const stamp = runStamp();
    const runDir = resolve(root, opts.out ?? join('runs', `import-${def.name}-${stamp}`));
    if (existsSync(runDir) && readdirSync(runDir).length > 0) {
      throw new UserError('the output directory already holds files', { file: relative(root, runDir), field: '--out' });
    }
    const created = !existsSync(runDir);
    mkdirSync(runDir, { recursive: true });
    // A failed import leaves nothing behind, so the same command can simply be run again.
    const undo = () => (created ? rmSync(runDir, { recursive: true, force: true }) : RUN_FILE_NAMES.forEach((f) => rmSync(join(runDir, f), { force: true })));
    try {
      const manifest: RunManifest = {
        qualbench_version: qualbenchVersion(),
        node_version: process.version,
        created_at: new Date().toISOString(),
        git_commit: null,
        eval: { name: def.name, file: loaded.file, sha256: loaded.sha256 },
        task: { name: task.definition.name, file: task.file, sha256: task.sha256 },
        dataset: { name: dataset.manifest.name, version: dataset.manifest.version, sha256: dataset.manifest.sha256, rows: dataset.total, sample: null, sample_seed: def.seed },
        prompt: { name: def.prompt, versions: [{ version, sha256: prompt.sha256 }] },
        models: [{ id: opts.model, label: configuredLabel(root, def.models, opts.model), base_url: `batch:${relative(root, resolve(file))}`, concurrency: 1 }],
        sampling: def.sampling,
        scorers,
        requests: dataset.total,
      };
      writeFileSync(join(runDir, RUN_FILES.manifest), JSON.stringify(manifest, null, 2) + '\n');
      const outcome = await importBatchOutput({ file, model: opts.model, promptVersion: version, ids: dataset.ids, resultsFile: join(runDir, RUN_FILES.results), server: `imported:${relative(root, resolve(file))}` });
      const shown = relative(root, resolve(file)) || file;
      if (outcome.distinct === 0) {
        throw new UserError(`no line of the file answers an item of dataset ${dataset.manifest.name}`, { file: shown, hint: whatTheFileIs(file, outcome.unknownIds) });
      }
      if (outcome.duplicateIds.length) {
        throw new UserError(`${outcome.duplicateIds.length} custom_id(s) appear on more than one line (${outcome.duplicateIds.slice(0, 3).join(', ')}${outcome.duplicateIds.length > 3 ? ', …' : ''}): only one answer per item can be scored, and keeping one would silently drop the others`, {
          file: shown,
          field: 'custom_id',
          hint: 'A batch output has one line per request. Was it concatenated from several batches (other prompt versions or models)? Import each batch on its own.',
        });
      }
      if (outcome.errors === outcome.imported && outcome.firstError) {
        throw new UserError(`${outcome.imported === 1 ? 'the one line' : `every one of the ${outcome.imported} lines`} answering an item is a failed request: there is no answer to score`, {
          file: shown,
          line: outcome.firstError.line,
          hint: `First error: ${outcome.firstError.message}\n  An OpenAI Batch error file (error_file_id) looks like this: import the output file (output_file_id) instead. If the whole batch failed, fix the cause and run it again.`,
        });
      }
      // The run covers the items the file answers (a batch is often a sample): completeness is judged on those.
      const covered = outcome.distinct;
      manifest.requests = covered;
      manifest.items_per_group = covered;
      writeFileSync(join(runDir, RUN_FILES.manifest), JSON.stringify(manifest, null, 2) + '\n');
      await finishRun(root, runDir, itemLookup(dataset, dataset.ids.map((_, i) => i)), manifest, def.seed, task);
      return { runDir, outcome, dataset: def.dataset };
    } catch (e) {
      undo();
      throw e;
    }
  } finally {
    dataset.close();
  }
}

/** The model's label from the models config when it is listed there, else its id. */
function configuredLabel(root: string, modelsFile: string, id: string): string {
  try {
    return loadModels(root, modelsFile, { defaultBaseUrl: 'http://unused/v1' }).models.find((m) => m.id === id)?.label ?? id;
  } catch {
    return id;
  }
}

/** The files an import writes into its run directory (removed again when it fails). */
const RUN_FILE_NAMES = [RUN_FILES.manifest, RUN_FILES.results, RUN_FILES.scores, RUN_FILES.summary, RUN_FILES.report, RUN_FILES.html];

/** Why a file holds no answer to import: empty, a batch *input* file, a non-chat output, or other ids. */
function whatTheFileIs(file: string, unknownIds: string[]): string {
  const first = readFileSync(file, 'utf8').split('\n').find((l) => l.trim());
  if (!first) return 'The file is empty.';
  try {
    JSON.parse(first);
  } catch {
    return 'Its first line is not JSON: a batch output file has one JSON object per line.';
  }
  if (unknownIds.length) return `Its custom_ids (${unknownIds.slice(0, 3).join(', ')}${unknownIds.length > 3 ? ', …' : ''}) are not item ids of this eval's dataset: check --eval, or that custom_id is the item id.`;
  return 'Expected lines like {"custom_id": "<item id>", "response": {"status_code": 200, "body": <chat completion>}}.';
}
