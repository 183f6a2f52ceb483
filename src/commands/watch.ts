/**
 * `qualbench watch --prompt NAME@vN --model ID [--sample N]`: the prompt engineer's loop.
 * Runs a stratified sample, then re-runs it on every save of the template (unchanged requests
 * come from the store), printing metric deltas against the previous save and against the last
 * released version, and the items that flipped.
 */
import { existsSync, readFileSync, watch as watchFs } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { EXIT, UserError } from '../core/errors.ts';
import { readEnv } from '../core/env.ts';
import { ScoreRecord, type Summary } from '../core/records.ts';
import { readJsonl } from '../core/jsonl.ts';
import { listEvals, loadEval } from '../load/load-eval.ts';
import { hashPromptTexts, listPromptVersions, readPromptLock } from '../load/load-prompts.ts';
import { runEval } from '../pipeline.ts';
import { createProgress } from '../progress.ts';
import { intOption, parse } from './shared.ts';
import { help } from './help.ts';

type Group = Summary['groups'][number];

interface Snapshot {
  runDir: string;
  summary: Summary;
  /** item id -> brief of the answer to the watched version */
  items: Map<string, Brief>;
}

interface Brief {
  recommendation: string | null;
  valid: boolean;
  follows: string;
}

const METRICS: Array<{ name: string; get: (g: Group) => number | null }> = [
  { name: 'JSON strict', get: (g) => g.validity.json_strict_rate },
  { name: 'schema-valid', get: (g) => g.validity.schema_valid_rate },
  { name: 'follows instructions', get: (g) => g.scorers['follows-instructions']?.mean ?? null },
  { name: 'rec. accuracy', get: (g) => g.agreement.recommendation.exact },
  { name: 'rec. kappa', get: (g) => g.agreement.recommendation.kappa },
];

function fmt(x: number | null): string {
  return x === null ? '  n/a' : x.toFixed(3);
}

function delta(now: number | null, then: number | null | undefined): string {
  if (now === null || then === null || then === undefined) return '     ';
  const d = now - then;
  return `${d >= 0 ? '+' : ''}${d.toFixed(3)}`;
}

async function readBriefs(runDir: string, version: string): Promise<Map<string, Brief>> {
  const out = new Map<string, Brief>();
  for await (const { value } of readJsonl(join(runDir, 'scores.jsonl'), ScoreRecord)) {
    if (value.prompt_version !== version) continue;
    out.set(value.item_id, {
      recommendation: value.prediction?.recommendation ?? null,
      valid: value.scores['schema']?.score === 1,
      follows: value.scores['follows-instructions']?.label ?? (value.request_error ? `error: ${value.request_error.kind}` : 'n/a'),
    });
  }
  return out;
}

function describe(b: Brief | undefined): string {
  if (!b) return '(none)';
  return `${b.recommendation ?? 'no recommendation'}, ${b.valid ? 'valid' : 'invalid'}, ${b.follows}`;
}

/** Items whose recommendation, validity or instruction-following changed between two snapshots. */
export function flippedItems(before: Map<string, Brief>, after: Map<string, Brief>): Array<{ id: string; before: Brief | undefined; after: Brief | undefined }> {
  const flips: Array<{ id: string; before: Brief | undefined; after: Brief | undefined }> = [];
  for (const [id, now] of after) {
    const then = before.get(id);
    if (!then || then.recommendation !== now.recommendation || then.valid !== now.valid || then.follows !== now.follows) flips.push({ id, before: then, after: now });
  }
  return flips.sort((a, b) => a.id.localeCompare(b.id));
}

export async function cmdWatch(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    prompt: { type: 'string' },
    model: { type: 'string' },
    sample: { type: 'string' },
    eval: { type: 'string' },
    'base-url': { type: 'string' },
    store: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return help();
  const m = values.prompt ? /^([a-z0-9][a-z0-9-]*)@(v\d+)$/.exec(values.prompt) : null;
  if (!m) throw new UserError(`Expected \`--prompt\` as \`name@vN\`, got \`${values.prompt ?? ''}\``, { field: '--prompt' });
  const [, name, version] = m as unknown as [string, string, string];
  if (!values.model) throw new UserError('say which model to watch with', { field: '--model', hint: 'e.g. --model google/gemma-3-4b-it' });
  const root = process.cwd();
  const env = readEnv();
  const evalName = values.eval ?? listEvals(root).find((e) => loadEval(root, e).definition.prompt === name);
  if (!evalName) throw new UserError(`no eval uses prompt \`${name}\``, { field: '--eval', hint: 'Pass --eval NAME.' });
  const versions = listPromptVersions(root, name);
  if (!versions.includes(version)) throw new UserError(`prompt \`${name}\` has no version \`${version}\``, { field: '--prompt', hint: `Known versions: ${versions.join(', ')}. Create one with: qualbench prompts new ${name}` });
  const lock = readPromptLock(root, name);
  const released = versions.filter((v) => lock[v] && v !== version).pop();
  const sample = intOption('sample', values.sample) ?? 40;
  const storeDir = resolve(root, values.store ?? env.storeDir ?? '.qualbench/store');
  const dir = join(root, 'prompts', name, version);
  const say = (line: string) => process.stdout.write(line + '\n');
  let previous: Snapshot | null = null;
  let iteration = 0;
  let lastHash = '';

  const runOnce = async (): Promise<void> => {
    const user = existsSync(join(dir, 'user.hbs')) ? readFileSync(join(dir, 'user.hbs'), 'utf8') : '';
    const system = existsSync(join(dir, 'system.hbs')) ? readFileSync(join(dir, 'system.hbs'), 'utf8') : null;
    const hash = hashPromptTexts(system, user);
    if (hash === lastHash) return; // saved without a change
    lastHash = hash;
    iteration++;
    const runDir = join(root, '.qualbench', 'watch', `${name}-${version}-${Date.now()}-${iteration}`);
    try {
      const outcome = await runEval({
        root,
        env,
        evalName,
        models: [values.model!],
        sample,
        promptVersions: released ? [released, version] : [version],
        out: runDir,
        baseUrl: values['base-url'],
        storeDir,
        progress: createProgress('quiet'),
      });
      const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as Summary;
      const items = await readBriefs(runDir, version);
      const current = summary.groups.find((g) => g.prompt_version === version)!;
      const reference = released ? summary.groups.find((g) => g.prompt_version === released) : undefined;
      const prevGroup = previous?.summary.groups.find((g) => g.prompt_version === version);
      const flips = previous ? flippedItems(previous.items, items) : [];
      if (values.json) {
        say(JSON.stringify({
          event: 'watch-run',
          iteration,
          run_dir: runDir,
          sent: outcome.sent,
          cached: outcome.cached,
          metrics: Object.fromEntries(METRICS.map((x) => [x.name, { value: x.get(current), vs_previous: prevGroup ? x.get(current)! - (x.get(prevGroup) ?? 0) : null, vs_released: reference ? x.get(current)! - (x.get(reference) ?? 0) : null }])),
          flipped: flips.map((f) => ({ id: f.id, before: f.before ?? null, after: f.after ?? null })),
        }));
      } else {
        say(`\n[${new Date().toLocaleTimeString()}] ${name}@${version} x ${values.model} on ${sample} items: ${outcome.sent} sent, ${outcome.cached} from the store`);
        say(`  ${'metric'.padEnd(22)} ${'now'.padStart(6)}  ${'vs last save'.padStart(12)}  ${released ? `vs ${released} (released)` : ''}`);
        for (const x of METRICS) {
          say(`  ${x.name.padEnd(22)} ${fmt(x.get(current)).padStart(6)}  ${delta(x.get(current), prevGroup ? x.get(prevGroup) : undefined).padStart(12)}  ${reference ? delta(x.get(current), x.get(reference)) : ''}`);
        }
        if (previous) {
          say(flips.length ? `  ${flips.length} item(s) flipped since the last save:` : '  no item flipped since the last save');
          for (const f of flips.slice(0, 10)) say(`    ${f.id}: ${describe(f.before)}  ->  ${describe(f.after)}`);
          if (flips.length > 10) say(`    … and ${flips.length - 10} more (run dir: ${relative(root, runDir)})`);
        }
      }
      previous = { runDir, summary, items };
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      // A broken template (or any fixable problem) is shown; the loop keeps watching.
      if (values.json) say(JSON.stringify({ event: 'watch-error', iteration, message: e.format() }));
      else say(`\n[${new Date().toLocaleTimeString()}] ${e.format()}\n  (still watching ${relative(root, dir)}/ — save to try again)`);
    }
  };

  await runOnce();
  if (!values.json) say(`\nWatching ${relative(root, dir)}/ — save a template to re-run; Ctrl-C to stop.`);
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const watcher = watchFs(dir, () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(runOnce);
    }, 150);
  });
  await new Promise<void>((resolveStop) => {
    const stop = () => {
      watcher.close();
      clearTimeout(timer);
      void running.then(() => resolveStop());
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return EXIT.ok;
}
