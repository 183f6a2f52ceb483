import { existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EXIT, UserError } from '../core/errors.ts';
import { RUN_FILES } from '../core/records.ts';
import { importBatchRun } from '../usecases/import-run.ts';
import { parse } from './shared.ts';
import { help } from './help.ts';

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
  if (!statSync(file).isFile()) throw new UserError('this is a folder, not a batch output file', { file, hint: 'Name the output .jsonl file inside it.' });
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
