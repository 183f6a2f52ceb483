import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { EXIT, UserError } from '../core/errors.ts';
import { RUN_FILES } from '../core/records.ts';
import { readEnv } from '../core/env.ts';
import { loadEval } from '../load/load-eval.ts';
import { loadModels } from '../load/load-models.ts';
import { runHostedBatch } from '../run/hosted-batch.ts';
import { exportBatchFiles } from '../usecases/export-batch-files.ts';
import { importBatchRun } from '../usecases/import-run.ts';
import { interruptible, intOption, parse } from './shared.ts';
import { help } from './help.ts';
import { runStamp } from '../core/stamp.ts';

interface Job {
  eval: string;
  model: string;
  prompt_version: string;
  sample: number | null;
  base_url: string;
  input_file: string;
}

/**
 * `qualbench batch --model ID [--prompt-version V] [--eval NAME] [--sample N] [--base-url URL] [--out DIR]`
 * `qualbench batch --resume DIR`: run an eval on an OpenAI-compatible hosted Batch API: export the
 * requests, upload, create the batch, poll, download, and score the output like a run (DIR/run).
 */
export async function cmdBatch(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    eval: { type: 'string' },
    model: { type: 'string' },
    'prompt-version': { type: 'string' },
    sample: { type: 'string' },
    'base-url': { type: 'string' },
    out: { type: 'string' },
    resume: { type: 'string' },
    'poll-ms': { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return help();
  const root = process.cwd();
  const env = readEnv();
  const say = (line: string) => {
    if (values.json) process.stdout.write(JSON.stringify({ event: 'batch', message: line }) + '\n');
    else if (!values.quiet) process.stderr.write(line + '\n');
  };

  let dir: string;
  let job: Job;
  if (values.resume) {
    dir = resolve(root, values.resume);
    const jobFile = join(dir, 'job.json');
    if (!existsSync(jobFile)) throw new UserError('not a batch directory (no job.json)', { file: values.resume, field: '--resume' });
    job = JSON.parse(readFileSync(jobFile, 'utf8')) as Job;
  } else {
    if (!values.model) throw new UserError('say which model to run', { field: '--model', hint: 'e.g. qualbench batch --model google/gemma-3-4b-it --base-url https://provider.example/v1' });
    const def = loadEval(root, values.eval).definition;
    const version = values['prompt-version'] ?? def.prompt_versions[0]!;
    const { models } = loadModels(root, def.models, { defaultBaseUrl: env.vllmBaseUrl, only: [values.model], ...(values['base-url'] ? { baseUrlOverride: values['base-url'] } : {}) });
    const model = models[0]!;
    const stamp = runStamp();
    dir = resolve(root, values.out ?? join('runs', `batch-${def.name}-${stamp}`));
    if (existsSync(join(dir, 'job.json'))) throw new UserError('this folder already holds a batch', { file: relative(root, dir), field: '--out', hint: `Resume it with \`qualbench batch --resume ${relative(root, dir)}\`, or choose a new --out.` });
    mkdirSync(dir, { recursive: true });
    const sample = intOption('sample', values.sample) ?? null;
    const [file] = await exportBatchFiles(root, { evalName: def.name, models: [model.id], promptVersions: [version], ...(sample ? { sample } : {}), out: join(dir, 'input') });
    job = { eval: def.name, model: model.id, prompt_version: version, sample, base_url: model.base_url, input_file: file!.file };
    writeFileSync(join(dir, 'job.json'), JSON.stringify(job, null, 2) + '\n');
  }

  const models = loadModels(root, loadEval(root, job.eval).definition.models, { defaultBaseUrl: env.vllmBaseUrl, only: [job.model] }).models;
  const apiKey = env.apiKey(models[0]?.api_key_env);
  const controller = new AbortController();
  const release = interruptible(() => controller.abort());
  try {
    const state = await runHostedBatch({
      baseURL: job.base_url,
      apiKey,
      inputFile: resolve(root, job.input_file),
      outputFile: join(dir, 'output.jsonl'),
      stateFile: join(dir, 'batch-state.json'),
      pollMs: intOption('poll-ms', values['poll-ms']) ?? 30_000,
      signal: controller.signal,
      onProgress: (s) => say(`batch ${s.batch_id}: ${s.status}${s.request_counts ? ` (${s.request_counts.completed} done, ${s.request_counts.failed} failed of ${s.request_counts.total})` : ''}`),
    });
    const runDir = join(dir, 'run');
    const { outcome } = await importBatchRun(root, { file: join(dir, 'output.jsonl'), model: job.model, promptVersion: job.prompt_version, evalName: job.eval, out: runDir });
    const rel = relative(root, runDir) || '.';
    if (values.json) process.stdout.write(JSON.stringify({ event: 'batch-done', batch_id: state.batch_id, status: state.status, run_dir: runDir, ...outcome }) + '\n');
    else if (!values.quiet) process.stdout.write(`Batch ${state.batch_id} ${state.status}: ${outcome.imported} answers (${outcome.errors} with errors) scored into ${rel}\nReport: ${join(rel, RUN_FILES.report)}\n`);
    return EXIT.ok;
  } catch (e) {
    if (controller.signal.aborted && !values.json) process.stderr.write(`Resume with: qualbench batch --resume ${relative(root, dir) || '.'}\n`);
    throw e;
  } finally {
    release();
  }
}
