/**
 * `qualbench init`: scaffold a small working example in the user's project (the cwd): an eval, a
 * models config, one prompt version and a labelled dataset of a few rows copied from qualbench's
 * golden set. Writes nothing if any of its files exists already (and names them).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EXIT, UserError } from '../core/errors.ts';
import { EvalDefinition, type DatasetManifest } from '../core/records.ts';
import { DatasetRow, RECOMMENDATIONS } from '../tasks/candidate-screening/records.ts';
import { packageFile } from '../core/package-files.ts';
import { intOption, parse } from './shared.ts';

const USAGE = 'qualbench init [--rows-per-class N]';

/** Names of what init writes (the example's own; the user renames freely). */
export const INIT_EVAL = 'candidate-screening';
export const INIT_DATASET = 'candidates-example';
export const INIT_PROMPT = 'candidate-screening';

/** Where the example comes from, inside the installed package. */
const SOURCE = {
  dataset: 'candidates-golden',
  prompt: { name: 'candidate-screening', version: 'v3' },
  models: 'evals/models.json',
  eval: 'evals/candidate-screening.json',
} as const;

interface ScaffoldFile {
  path: string;
  content: string;
  what: string;
}

/** A few rows of each gold recommendation, in dataset order: the example's labelled data. */
function exampleRows(perClass: number): { text: string; rows: number } {
  const file = packageFile('datasets', SOURCE.dataset, 'data.jsonl');
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const taken = new Map<string, number>();
  const out: string[] = [];
  for (const line of lines) {
    const row = DatasetRow.parse(JSON.parse(line));
    const n = taken.get(row.gold.recommendation) ?? 0;
    if (n >= perClass) continue;
    taken.set(row.gold.recommendation, n + 1);
    out.push(line);
  }
  return { text: out.join('\n') + '\n', rows: out.length };
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** The files of the example, in the order they are listed. */
export function scaffoldFiles(perClass: number, today: string): ScaffoldFile[] {
  const data = exampleRows(perClass);
  const sha256 = createHash('sha256').update(data.text).digest('hex');
  const manifest: DatasetManifest = {
    name: INIT_DATASET,
    version: '0.1.0',
    file: 'data.jsonl',
    rows: data.rows,
    sha256,
    provenance: `${data.rows} rows (${perClass} per gold recommendation: ${RECOMMENDATIONS.join(', ')}) copied by \`qualbench init\` from qualbench's synthetic golden set ${SOURCE.dataset}; no real personal data. Replace them with your own labelled rows (RUBRIC.md says how the labels are meant), then update rows and sha256 here.`,
    description: 'Labelled candidate profiles for the candidate-screening eval: the gold recommendation, four rated dimensions, a rationale and key facts per row.',
  };
  const shipped = JSON.parse(readFileSync(packageFile(SOURCE.eval), 'utf8')) as { scorers: string[]; sampling: unknown };
  const evalDef = {
    name: INIT_EVAL,
    description: `Screen a candidate profile: one JSON object with a recommendation, its reasoning and four rated dimensions (the contract in qualbench's candidate-evaluation schema). Scaffolded by \`qualbench init\`: put your own models in ${SOURCE.models}, rows in datasets/${INIT_DATASET}/ and prompt versions in prompts/${INIT_PROMPT}/.`,
    dataset: INIT_DATASET,
    prompt: INIT_PROMPT,
    prompt_versions: ['v1'],
    models: SOURCE.models,
    scorers: shipped.scorers,
    sampling: shipped.sampling,
    seed: 1,
    stream: true,
    gates: {
      policy: { inconclusive: 'pass' },
      alpha: 0.05,
      correction: 'holm-per-rule',
      rules: [
        // Against the committed baseline (baselines/candidate-screening.json, from `qualbench baseline update`).
        { metric: 'json_strict_rate', max_regression: 0.05 },
        { metric: 'schema_valid_rate', max_regression: 0.05 },
        { metric: 'follows_instructions', max_regression: 0.05 },
        { metric: 'recommendation_exact', max_regression: 0.05 },
      ],
    },
  };
  // What init writes must load: a broken scaffold would be a bug, not the user's error.
  EvalDefinition.parse(evalDef);
  const promptDir = packageFile('prompts', SOURCE.prompt.name, SOURCE.prompt.version);
  const files: ScaffoldFile[] = [
    { path: `evals/${INIT_EVAL}.json`, content: json(evalDef), what: 'the eval: dataset, prompt versions, models config, scorers, gates' },
    { path: SOURCE.models, content: readFileSync(packageFile(SOURCE.models), 'utf8'), what: "the models: the simulator's three personas with illustrative prices; put yours here" },
    { path: `prompts/${INIT_PROMPT}/v1/user.hbs`, content: readFileSync(join(promptDir, 'user.hbs'), 'utf8'), what: 'prompt version v1 (Handlebars; {{json candidate}} is the profile)' },
  ];
  if (existsSync(join(promptDir, 'system.hbs'))) {
    files.push({ path: `prompts/${INIT_PROMPT}/v1/system.hbs`, content: readFileSync(join(promptDir, 'system.hbs'), 'utf8'), what: 'its system message' });
  }
  files.push(
    {
      path: `prompts/${INIT_PROMPT}/v1/meta.json`,
      content: json({
        version: 'v1',
        date: today,
        changes: `Copied by \`qualbench init\` from qualbench's example prompt ${SOURCE.prompt.name}@${SOURCE.prompt.version}.`,
        why: 'A starting point that small models (1B-4B) follow: numbered rules and one worked example. Change it in a new version: `npx qualbench prompts new candidate-screening`.',
      }),
      what: 'what v1 is and why',
    },
    { path: `datasets/${INIT_DATASET}/data.jsonl`, content: data.text, what: `${data.rows} labelled rows (${perClass} per gold recommendation) from qualbench's synthetic golden set` },
    { path: `datasets/${INIT_DATASET}/manifest.json`, content: json(manifest), what: 'name, version, rows and sha256 of the data' },
    { path: `datasets/${INIT_DATASET}/RUBRIC.md`, content: readFileSync(packageFile('datasets', SOURCE.dataset, 'RUBRIC.md'), 'utf8'), what: 'how the gold labels are meant' },
  );
  return files;
}

/** The commands to run next, printed by init (and shown in the README). */
export function nextSteps(rows: number): string {
  return `Next:
  1. Start a server. Without a GPU, the vLLM-compatible simulator that comes with qualbench
     (in another terminal; --speed instant answers at once, so speed figures are marked invalid):
       npx qualbench sim --port 8000 --speed instant
     With vLLM: vllm serve <model> --port 8000, and put its id in ${SOURCE.models}.
  2. Evaluate (models without base_url go to VLLM_BASE_URL, else http://localhost:8000/v1):
       npx qualbench eval --out runs/first
  3. Keep its per-item scores as the baseline the gates compare against, and commit it:
       npx qualbench baseline update runs/first
  4. After a change to a prompt, the dataset or a model, evaluate again and gate (exit 1 on a regression):
       npx qualbench eval --out runs/next && npx qualbench gate runs/next
     In CI: npx qualbench eval --ci (evaluates and gates; writes junit.xml into the run).
  The example's ${rows} rows show the workflow, not a verdict: the gate says how many items a 5% margin
  needs (about 170 per group). Keep runs/ and .qualbench/ (the response store) out of git.`;
}

/** `qualbench init [--rows-per-class N]` */
export async function cmdInit(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { 'rows-per-class': { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n  Scaffold evals/, prompts/ and datasets/ with a small working example in this folder.\n`);
    return EXIT.ok;
  }
  if (positionals.length) throw new UserError(`init takes no arguments, got \`${positionals.join(' ')}\``, { hint: `${USAGE} (it writes into the current folder)` });
  const perClass = intOption('rows-per-class', values['rows-per-class']) ?? 6;
  const root = process.cwd();
  const files = scaffoldFiles(perClass, new Date().toISOString().slice(0, 10));
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
  const rows = files.find((f) => f.path.endsWith('data.jsonl'))!.content.split('\n').length - 1;
  const width = Math.max(...files.map((f) => f.path.length));
  process.stdout.write(`Wrote ${files.length} files in ${root}:\n${files.map((f) => `  ${f.path.padEnd(width)}  ${f.what}`).join('\n')}\n\n${nextSteps(rows)}\n`);
  return EXIT.ok;
}
