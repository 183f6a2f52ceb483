import { EXIT } from '../core/errors.ts';
import { exportBatchFiles } from '../usecases/export-batch-files.ts';
import { intOption, parse } from './shared.ts';
import { help } from './help.ts';

/**
 * `qualbench export-batch [--eval NAME] [--model ID ...] [--sample N] [--out DIR]`: write the eval's
 * requests as `vllm run-batch` / OpenAI Batch input files, one per model x prompt version
 * (custom_id = item id), to run elsewhere and score with `qualbench import`.
 */
export async function cmdExportBatch(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    eval: { type: 'string' },
    model: { type: 'string', multiple: true },
    sample: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return help();
  const root = process.cwd();
  const files = await exportBatchFiles(root, {
    ...(values.eval ? { evalName: values.eval } : {}),
    ...(values.model?.length ? { models: values.model } : {}),
    ...(values.sample ? { sample: intOption('sample', values.sample)! } : {}),
    ...(values.out ? { out: values.out } : {}),
  });
  if (values.json) process.stdout.write(JSON.stringify({ event: 'export-done', files }) + '\n');
  else {
    for (const f of files) process.stdout.write(`${f.file}  ${f.requests} requests  (${f.model} ${f.prompt_version})\n`);
    process.stdout.write(`Run one with: vllm run-batch -i <file> -o output.jsonl --model <model>\nThen score it: qualbench import output.jsonl --model <model> --prompt-version <version>\n`);
  }
  return EXIT.ok;
}
