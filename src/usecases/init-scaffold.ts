/**
 * What `qualbench init` writes: the example of one task shipped with qualbench (tasks/<name>/ in the
 * installed package), as files of the user's project. Its task folder (task.json and the files it names:
 * contract, item schema, a module file), its eval, one prompt version, a few labelled rows of its golden
 * set with their manifest, and the models config. Built from the task's declaration: nothing here knows
 * a task's fields.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.ts';
import { EvalDefinition, type DatasetManifest } from '../core/records.ts';
import type { GateRule } from '../core/gate-records.ts';
import { valueAt } from '../core/task-records.ts';
import { PACKAGE_ROOT, SHIPPED_TASKS_DIR, packageFile } from '../core/package-files.ts';
import { BUILTIN_MODULE, loadTask, type LoadedTask } from '../load/load-task.ts';

export interface ScaffoldFile {
  /** Relative to the project root, with `/`. */
  path: string;
  content: string;
  /** What it is, as init lists it. */
  what: string;
}

export interface Example {
  task: string;
  eval: string;
  dataset: string;
  prompt: string;
  rows: number;
  models: string;
  files: ScaffoldFile[];
}

/** The task init scaffolds without --task. */
export const DEFAULT_INIT_TASK = 'candidate-screening';

interface ShippedEval {
  name: string;
  task?: string;
  dataset: string;
  prompt: string;
  prompt_versions: string[];
  models: string;
  scorers: string[];
  sampling: unknown;
  gates?: { rules: GateRule[] } & Record<string, unknown>;
}

/** The shipped eval of each shipped task (the eval whose task it is), by task name, sorted. */
export function shippedExamples(): Map<string, string> {
  const evals = new Map<string, string>();
  for (const f of readdirSync(packageFile('evals')).filter((x) => x.endsWith('.json')).sort()) {
    const def = JSON.parse(readFileSync(packageFile('evals', f), 'utf8')) as Partial<ShippedEval>;
    if (typeof def.name !== 'string' || !def.dataset) continue; // models.json
    const task = def.task ?? def.name;
    if (!evals.has(task)) evals.set(task, `evals/${f}`);
  }
  const out = new Map<string, string>();
  for (const t of readdirSync(SHIPPED_TASKS_DIR).sort()) {
    const e = evals.get(t);
    if (e && existsSync(join(SHIPPED_TASKS_DIR, t, 'task.json'))) out.set(t, e);
  }
  return out;
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** The rows of the example: up to `perClass` of each value of the task's stratify label, in dataset order. */
function exampleRows(task: LoadedTask, dataFile: string, perClass: number): { text: string; rows: number; by: string; values: string[] } {
  const label = task.definition.labels.find((l) => l.name === task.definition.stratify)!;
  const lines = readFileSync(dataFile, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const taken = new Map<string, number>();
  const out: string[] = [];
  for (const line of lines) {
    const row = JSON.parse(line) as { gold?: unknown };
    const v = String(valueAt(row.gold, label.gold));
    const n = taken.get(v) ?? 0;
    if (n >= perClass) continue;
    taken.set(v, n + 1);
    out.push(line);
  }
  const values = label.kind === 'text' ? [...taken.keys()] : label.scale.filter((v) => taken.has(v));
  return { text: out.join('\n') + '\n', rows: out.length, by: label.name, values };
}

/**
 * The example's gates: the shipped eval's rules that hold for any model and prompt version, measured
 * against the committed baseline (a 30-row sample has no released prompt versions to compare with).
 */
function exampleRules(rules: GateRule[]): GateRule[] {
  const seen = new Set<string>();
  const out: GateRule[] = [];
  for (const r of rules) {
    if (r.models || r.prompt_versions) continue;
    const { reference: _reference, ...rule } = r;
    const key = JSON.stringify(rule);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(rule);
  }
  return out;
}

/** The task's files a user edits: task.json and the files it names (contract, item schema, a module file). */
function taskFiles(task: LoadedTask): ScaffoldFile[] {
  const name = task.definition.name;
  const d = task.definition;
  const labels = d.labels.map((l) => l.name).join(', ');
  const module = d.module?.startsWith(BUILTIN_MODULE) ? `; its module ${d.module} is qualbench's code` : '';
  const files: ScaffoldFile[] = [
    { path: `tasks/${name}/task.json`, content: readFileSync(join(task.dir, 'task.json'), 'utf8'), what: `the task: its labels and scales (${labels}), item fields, grounding facts, policies${module}` },
    { path: `tasks/${name}/${d.contract}`, content: readFileSync(join(task.dir, d.contract), 'utf8'), what: "the output contract (JSON Schema) a model's answer must meet; a new field here and a label in task.json add a dimension" },
  ];
  if (d.item.schema) files.push({ path: `tasks/${name}/${d.item.schema}`, content: readFileSync(join(task.dir, d.item.schema), 'utf8'), what: 'what a dataset row holds, gold labels included (checked when the dataset loads)' });
  if (d.module && !d.module.startsWith(BUILTIN_MODULE)) files.push({ path: `tasks/${name}/${d.module}`, content: readFileSync(join(task.dir, d.module), 'utf8'), what: "the task's own scorers (its module)" });
  return files;
}

/**
 * The example of a shipped task, as files to write.
 * @throws UserError (exit 2) naming the shipped tasks when `taskName` is none of them.
 * @example scaffoldExample('candidate-screening', 6, '2026-12-06').dataset === 'candidates-example'
 */
export function scaffoldExample(taskName: string, perClass: number, today: string): Example {
  const examples = shippedExamples();
  const evalFile = examples.get(taskName);
  if (!evalFile) throw new UserError(`no task \`${taskName}\` ships with qualbench`, { field: '--task', hint: `The shipped tasks: ${[...examples.keys()].join(', ')}.` });
  const task = loadTask(PACKAGE_ROOT, taskName);
  const shipped = JSON.parse(readFileSync(packageFile(evalFile), 'utf8')) as ShippedEval;
  const dataset = `${shipped.dataset.replace(/-golden$/, '')}-example`;
  const sourceData = packageFile('datasets', shipped.dataset);
  const shippedManifest = JSON.parse(readFileSync(join(sourceData, 'manifest.json'), 'utf8')) as DatasetManifest;
  const data = exampleRows(task, join(sourceData, shippedManifest.file), perClass);
  const rubric = existsSync(join(sourceData, 'RUBRIC.md'));
  const manifest: DatasetManifest = {
    name: dataset,
    version: '0.1.0',
    file: 'data.jsonl',
    rows: data.rows,
    sha256: createHash('sha256').update(data.text).digest('hex'),
    provenance: `${data.rows} rows (${perClass} per gold ${data.by}: ${data.values.join(', ')}) copied by \`qualbench init\` from qualbench's synthetic golden set ${shipped.dataset}; no real personal data. Replace them with your own labelled rows${rubric ? ' (RUBRIC.md says how the labels are meant)' : ''}, then update rows and sha256 here.`,
    description: shippedManifest.description,
  };
  const version = shipped.prompt_versions[shipped.prompt_versions.length - 1]!;
  const evalDef = {
    name: shipped.name,
    task: taskName,
    description: `${task.definition.description ?? shipped.name} Scaffolded by \`qualbench init\`: the task's labels and output contract are in tasks/${taskName}/, models in ${shipped.models}, rows in datasets/${dataset}/, prompt versions in prompts/${shipped.prompt}/.`,
    dataset,
    prompt: shipped.prompt,
    prompt_versions: ['v1'],
    models: shipped.models,
    scorers: shipped.scorers,
    sampling: shipped.sampling,
    seed: 1,
    stream: true,
    ...(shipped.gates ? { gates: { ...shipped.gates, rules: exampleRules(shipped.gates.rules) } } : {}),
  };
  // What init writes must load: a broken scaffold would be a bug, not the user's error.
  EvalDefinition.parse(evalDef);
  const promptDir = packageFile('prompts', shipped.prompt, version);
  const templates = readdirSync(promptDir).filter((f) => f.endsWith('.hbs')).sort((a, b) => (a === 'user.hbs' ? -1 : b === 'user.hbs' ? 1 : a.localeCompare(b)));
  const sees = task.definition.item.variables.join(', ');
  const files: ScaffoldFile[] = [
    { path: `evals/${shipped.name}.json`, content: json(evalDef), what: 'the eval: its task, dataset, prompt versions, models config, scorers, gates' },
    { path: shipped.models, content: readFileSync(packageFile(shipped.models), 'utf8'), what: "the models: the simulator's three personas with illustrative prices; put yours here" },
    ...taskFiles(task),
    ...templates.map((f) => ({
      path: `prompts/${shipped.prompt}/v1/${f}`,
      content: readFileSync(join(promptDir, f), 'utf8'),
      what: f === 'user.hbs' ? `prompt version v1 (Handlebars; it sees the item's ${sees})` : f === 'system.hbs' ? 'its system message' : 'part of prompt version v1',
    })),
    {
      path: `prompts/${shipped.prompt}/v1/meta.json`,
      content: json({
        version: 'v1',
        date: today,
        changes: `Copied by \`qualbench init\` from qualbench's example prompt ${shipped.prompt}@${version}.`,
        why: `A starting point that small models (1B-4B) follow. Change it in a new version: \`npx qualbench prompts new ${shipped.prompt}\`.`,
      }),
      what: 'what v1 is and why',
    },
    { path: `datasets/${dataset}/data.jsonl`, content: data.text, what: `${data.rows} labelled rows (${perClass} per gold ${data.by}) from qualbench's synthetic golden set` },
    { path: `datasets/${dataset}/manifest.json`, content: json(manifest), what: 'name, version, rows and sha256 of the data' },
  ];
  if (rubric) files.push({ path: `datasets/${dataset}/RUBRIC.md`, content: readFileSync(join(sourceData, 'RUBRIC.md'), 'utf8'), what: 'how the gold labels are meant' });
  return { task: taskName, eval: shipped.name, dataset, prompt: shipped.prompt, rows: data.rows, models: shipped.models, files };
}
