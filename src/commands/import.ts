import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { loadEvalTask, stratifyLabel } from '../run-task.ts';
import { join, relative, resolve } from 'node:path';
import { EXIT, UserError } from '../core/errors.ts';
import { RUN_FILES, type RunManifest } from '../core/records.ts';
import { loadEval } from '../load/load-eval.ts';
import { loadModels } from '../load/load-models.ts';
import { openDataset } from '../load/load-dataset.ts';
import { loadPromptVersion } from '../load/load-prompts.ts';
import { importBatchOutput } from '../run/import-batch.ts';
import { assertScorerIds } from '../score/score-run.ts';
import { finishRun, itemLookup, qualbenchVersion } from '../pipeline.ts';
import { parse } from './shared.ts';
import { help } from './help.ts';
import { runStamp } from '../core/stamp.ts';

/**
 * `qualbench import <file> --eval NAME --model LABEL [--prompt-version V] [--out DIR]`:
 * score a `vllm run-batch` or OpenAI Batch output file (joined on custom_id = item id) like a run.
 */
export async function cmdImport(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    eval: { type: 'string' },
    model: { type: 'string' },
    'prompt-version': { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return help();
  const file = positionals[0];
  if (!file) throw new UserError('name the batch output file to import', { hint: 'qualbench import <file.jsonl> --eval NAME --model LABEL' });
  if (!existsSync(file)) throw new UserError('file not found', { file });
  if (!values.model) throw new UserError('say which model produced the file', { field: '--model', hint: 'e.g. --model google/gemma-3-4b-it' });
  const { runDir, outcome, dataset } = await importBatchRun(process.cwd(), {
    file,
    model: values.model,
    ...(values['prompt-version'] ? { promptVersion: values['prompt-version'] } : {}),
    ...(values.eval ? { evalName: values.eval } : {}),
    ...(values.out ? { out: values.out } : {}),
  });
  const rel = relative(process.cwd(), runDir) || '.';
  if (values.json) {
    process.stdout.write(JSON.stringify({ event: 'import-done', run_dir: runDir, ...outcome }) + '\n');
  } else {
    process.stdout.write(`Imported ${outcome.imported} answers (${outcome.errors} with errors) into ${rel}\nReport: ${join(rel, RUN_FILES.report)}\n`);
    if (outcome.unknownIds.length) process.stderr.write(`warning: ${outcome.unknownIds.length} custom_ids are not items of ${dataset}: ${outcome.unknownIds.slice(0, 5).join(', ')}${outcome.unknownIds.length > 5 ? ', …' : ''}\n`);
    if (outcome.missingIds.length) process.stderr.write(`warning: ${outcome.missingIds.length} dataset items have no line in the file\n`);
  }
  return EXIT.ok;
}

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
