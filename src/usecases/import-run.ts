/**
 * The import use case: score a batch output file (vLLM run-batch or OpenAI Batch) into a new run directory,
 * like a run. Commands `import` and `batch` call it.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { RUN_FILES, type RunManifest } from '../core/records.ts';
import { loadEval } from '../load/load-eval.ts';
import { loadModels } from '../load/load-models.ts';
import { openDataset } from '../load/load-dataset.ts';
import { loadPromptVersion } from '../load/load-prompts.ts';
import { importBatchOutput } from '../run/import-batch.ts';
import { assertScorerIds } from '../score/score-run.ts';
import { finishRun, itemLookup, qualbenchVersion } from '../pipeline.ts';
import { loadEvalTask, stratifyLabel } from '../run-task.ts';
import { runStamp } from '../core/stamp.ts';

/** Score a batch output file (vLLM run-batch or OpenAI Batch) into a new run directory, like a run. */
export async function importBatchRun(root: string, opts: { file: string; model: string; promptVersion?: string; evalName?: string; out?: string }) {
  const { file } = opts;
  const loaded = loadEval(root, opts.evalName);
  const def = loaded.definition;
  const scorers = assertScorerIds(def.scorers, loaded.file);
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
    mkdirSync(runDir, { recursive: true });
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
    // The run covers the items the file answers (a batch is often a sample): completeness is judged on those.
    const covered = outcome.distinct;
    manifest.requests = covered;
    manifest.items_per_group = covered;
    writeFileSync(join(runDir, RUN_FILES.manifest), JSON.stringify(manifest, null, 2) + '\n');
    await finishRun(runDir, itemLookup(dataset, dataset.ids.map((_, i) => i)), manifest, def.seed, task);
    return { runDir, outcome, dataset: def.dataset };
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
