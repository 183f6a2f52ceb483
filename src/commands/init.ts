/**
 * `qualbench init [--task <name>]`: scaffold a small working example of a task shipped with qualbench in
 * the user's project (the cwd): the task's folder (its declaration and output contract, now the project's
 * own), an eval, a models config, one prompt version and a labelled dataset of a few rows copied from the
 * task's golden set (src/usecases/init-scaffold.ts). Writes nothing if any of its files exists already
 * (and names them).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EXIT, UserError } from '../core/errors.ts';
import { DEFAULT_INIT_TASK, scaffoldExample, shippedExamples, type Example } from '../usecases/init-scaffold.ts';
import { intOption, parse } from './shared.ts';

const USAGE = 'qualbench init [--task <name>] [--rows-per-class N]';

function help(): string {
  return `${USAGE}
  Scaffold a small working example of a task shipped with qualbench in this folder:
    tasks/<task>/      the task: task.json (labels and their scales, item fields, policies) and its
                       output contract (JSON Schema); the project's own copy, used instead of the shipped one
    evals/<eval>.json  the eval, and evals/models.json the models
    prompts/<prompt>/v1/  one prompt version
    datasets/<name>-example/  a few labelled rows of the task's golden set, with manifest (sha256)
  --task <name>         the task (default ${DEFAULT_INIT_TASK}); shipped: ${[...shippedExamples().keys()].join(', ')}
  --rows-per-class N    rows per value of the task's stratify label (default 6)
  Never overwrites: when any of these files exists, it writes nothing and names them.
`;
}

/** The commands to run next, printed by init (and shown in the README). */
export function nextSteps(ex: Example): string {
  const which = ex.eval === DEFAULT_INIT_TASK ? '' : ` --eval ${ex.eval}`;
  return `Next:
  1. Start a server. Without a GPU, the vLLM-compatible simulator that comes with qualbench
     (in another terminal; --speed instant answers at once, so speed figures are marked invalid):
       npx qualbench sim --port 8000 --speed instant
     With vLLM: vllm serve <model> --port 8000, and put its id in ${ex.models}.
  2. Evaluate (models without base_url go to VLLM_BASE_URL, else http://localhost:8000/v1):
       npx qualbench eval${which} --out runs/first
  3. Keep its per-item scores as the baseline the gates compare against, and commit it:
       npx qualbench baseline update runs/first
  4. After a change to a prompt, the dataset, the task or a model, evaluate again and gate (exit 1 on a regression):
       npx qualbench eval${which} --out runs/next && npx qualbench gate runs/next
     In CI: npx qualbench eval${which} --ci (evaluates and gates; writes junit.xml into the run).
  The example's ${ex.rows} rows show the workflow, not a verdict: the gate says how many items a 5% margin
  needs (about 170 per group). Keep runs/ and .qualbench/ (the response store) out of git.
  tasks/${ex.task}/ is the project's own now: edit its labels, scales and output contract there.`;
}

/** `qualbench init [--task <name>] [--rows-per-class N]` */
export async function cmdInit(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { task: { type: 'string' }, 'rows-per-class': { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(help());
    return EXIT.ok;
  }
  if (positionals.length) throw new UserError(`init takes no arguments, got \`${positionals.join(' ')}\``, { hint: `${USAGE} (it writes into the current folder)` });
  const perClass = intOption('rows-per-class', values['rows-per-class']) ?? 6;
  const root = process.cwd();
  const example = scaffoldExample(values.task ?? DEFAULT_INIT_TASK, perClass, new Date().toISOString().slice(0, 10));
  const files = example.files;
  const existing = files.filter((f) => existsSync(join(root, f.path))).map((f) => f.path);
  if (existing.length) {
    throw new UserError(`nothing written: ${existing.length === 1 ? 'this file exists' : 'these files exist'} already: ${existing.join(', ')}`, {
      hint: 'init never overwrites. Run it in another folder, or move those files away first.',
    });
  }
  for (const f of files) {
    mkdirSync(dirname(join(root, f.path)), { recursive: true });
    writeFileSync(join(root, f.path), f.content, { flag: 'wx' });
  }
  const width = Math.max(...files.map((f) => f.path.length));
  process.stdout.write(`Wrote ${files.length} files in ${root}:\n${files.map((f) => `  ${f.path.padEnd(width)}  ${f.what}`).join('\n')}\n\n${nextSteps(example)}\n`);
  return EXIT.ok;
}
