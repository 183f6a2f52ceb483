/**
 * `qualbench watch --prompt NAME@vN --model ID [--sample N]`: the prompt engineer's loop.
 * Runs a stratified sample, then re-runs it on every save of the template (unchanged requests
 * come from the store), printing metric deltas against the previous save and against the last
 * released version, and the items that flipped.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, watch as watchFs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { EXIT, UserError } from '../core/errors.ts';
import { checkedBaseUrl, readEnv } from '../core/env.ts';
import { RUN_FILES, ScoreRecord, type Summary } from '../core/records.ts';
import { readJsonl } from '../core/jsonl.ts';
import { SCORER } from '../core/scorer-ids.ts';
import { listEvals, loadEval } from '../load/load-eval.ts';
import { hashPromptTexts, listPromptVersions, readPromptLock } from '../load/load-prompts.ts';
import { runEval } from '../pipeline.ts';
import { createProgress } from '../progress.ts';
import { intOption, parse } from './shared.ts';
import { pairedChange } from '../aggregate/paired.ts';
import { help } from './help.ts';
import { primaryLabel } from '../report/format.ts';

type Group = Summary['groups'][number];

interface Snapshot {
  runDir: string;
  summary: Summary;
  /** item id -> brief of the answer to the watched version */
  items: Map<string, Brief>;
}

interface Brief {
  /** The task's primary label in the answer (null: none valid). */
  label: string | null;
  /** That label's name, for messages. */
  labelName: string;
  valid: boolean;
  follows: string;
  /** Per-item values of the paired metrics (NaN: unscored), in PAIRED order. */
  values: number[];
}

/** Metrics with a per-item value, so a change can be given a paired interval. */
const PAIRED: Array<{ name: string; of: (r: ScoreRecord, primary: string) => number }> = [
  { name: 'JSON strict', of: (r) => r.scores[SCORER.jsonStrict]?.score ?? NaN },
  { name: 'schema-valid', of: (r) => r.scores[SCORER.schema]?.score ?? NaN },
  { name: 'follows instructions', of: (r) => r.scores[SCORER.followsInstructions]?.score ?? NaN },
  { name: 'accuracy', of: (r, primary) => (r.request_error ? NaN : r.prediction?.[primary] === r.gold[primary] ? 1 : 0) },
];

export interface MetricChange {
  name: string;
  /** Mean over the items scored in both snapshots. */
  before: number | null;
  after: number | null;
  delta: number | null;
  /** Paired bootstrap 95% interval of the difference (after - before), by item. */
  ci: { lo: number; hi: number } | null;
  n: number;
  /** The interval excludes 0. */
  detectable: boolean;
}

/**
 * Paired change of every per-item metric between two snapshots of the same items, with a seeded
 * bootstrap interval: a neutral edit reads as "no detectable change" however many items flipped.
 */
export function compareSnapshots(before: Map<string, Brief>, after: Map<string, Brief>, seed = 1): MetricChange[] {
  return PAIRED.map((m, i) => {
    const pairs = [...after].flatMap(([id, now]) => {
      const then = before.get(id);
      return then ? [[then.values[i]!, now.values[i]!] as const] : [];
    });
    const c = pairedChange(pairs, seed + i);
    return { name: m.name, ...c, detectable: c.ci !== null && (c.ci.lo > 0 || c.ci.hi < 0) };
  });
}

/** Flips split by direction: better (became valid or right), worse, or sideways (another wrong answer, another class). */
export function flipDirections(flips: Array<{ before: Brief | undefined; after: Brief | undefined }>): { better: number; worse: number; sideways: number } {
  let better = 0;
  let worse = 0;
  let sideways = 0;
  for (const f of flips) {
    if (!f.before || !f.after) {
      sideways++;
      continue;
    }
    const score = (b: Brief) => b.values.reduce((s, v) => s + (Number.isNaN(v) ? 0 : v), 0);
    const d = score(f.after) - score(f.before);
    if (d > 0) better++;
    else if (d < 0) worse++;
    else sideways++;
  }
  return { better, worse, sideways };
}

/** Group metrics shown; accuracy and kappa are on the task's primary label. */
const METRICS: Array<{ name: string; get: (g: Group, primary: string) => number | null }> = [
  { name: 'JSON strict', get: (g, _p) => g.validity.json_strict_rate },
  { name: 'schema-valid', get: (g, _p) => g.validity.schema_valid_rate },
  { name: 'follows instructions', get: (g, _p) => g.scorers[SCORER.followsInstructions]?.mean ?? null },
  { name: 'accuracy', get: (g, primary) => g.agreement.labels[primary]?.exact ?? null },
  { name: 'kappa', get: (g, primary) => g.agreement.labels[primary]?.kappa ?? null },
];

function fmt(x: number | null): string {
  return x === null ? '  n/a' : x.toFixed(3);
}

function signed(x: number | null): string {
  return x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
}

function delta(now: number | null, then: number | null | undefined): string {
  if (now === null || then === null || then === undefined) return '     ';
  const d = now - then;
  return `${d >= 0 ? '+' : ''}${d.toFixed(3)}`;
}

async function readBriefs(runDir: string, version: string, primary: string): Promise<Map<string, Brief>> {
  const out = new Map<string, Brief>();
  for await (const { value } of readJsonl(join(runDir, RUN_FILES.scores), ScoreRecord)) {
    if (value.prompt_version !== version) continue;
    out.set(value.item_id, {
      label: value.prediction?.[primary] ?? null,
      labelName: primary,
      valid: value.scores[SCORER.schema]?.score === 1,
      follows: value.scores[SCORER.followsInstructions]?.label ?? (value.request_error ? `error: ${value.request_error.kind}` : 'n/a'),
      values: PAIRED.map((m) => m.of(value, primary)),
    });
  }
  return out;
}

function describe(b: Brief | undefined): string {
  if (!b) return '(none)';
  return `${b.label ?? `no ${b.labelName}`}, ${b.valid ? 'valid' : 'invalid'}, ${b.follows}`;
}

/** Items whose primary label, validity or instruction-following changed between two snapshots. */
export function flippedItems(before: Map<string, Brief>, after: Map<string, Brief>): Array<{ id: string; before: Brief | undefined; after: Brief | undefined }> {
  const flips: Array<{ id: string; before: Brief | undefined; after: Brief | undefined }> = [];
  for (const [id, now] of after) {
    const then = before.get(id);
    if (!then || then.label !== now.label || then.valid !== now.valid || then.follows !== now.follows) flips.push({ id, before: then, after: now });
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
    'no-noise-floor': { type: 'boolean' },
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
  /** What re-running the same version flips: measured once, on the first run, with a store of its own. */
  let noise: { sent: number; flips: number; n: number } | null = null;
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
        baseUrl: values['base-url'] === undefined ? undefined : checkedBaseUrl(values['base-url'], '--base-url'),
        storeDir,
        progress: createProgress('quiet'),
      });
      const summary = JSON.parse(readFileSync(join(runDir, RUN_FILES.summary), 'utf8')) as Summary;
      const primary = primaryLabel(summary);
      const items = await readBriefs(runDir, version, primary);
      const current = summary.groups.find((g) => g.prompt_version === version)!;
      const reference = released ? summary.groups.find((g) => g.prompt_version === released) : undefined;
      const prevGroup = previous?.summary.groups.find((g) => g.prompt_version === version);
      const flips = previous ? flippedItems(previous.items, items) : [];
      const directions = flipDirections(flips);
      const vsPrevious = previous ? compareSnapshots(previous.items, items) : null;
      const vsReleased = released ? compareSnapshots(await readBriefs(runDir, released, primary), items) : null;
      if (!noise && !values['no-noise-floor'] && outcome.sent + outcome.cached > 0) {
        // The noise floor: the same version again with a store of its own (every request re-sent).
        const floorStore = mkdtempSync(join(tmpdir(), 'qualbench-noise-'));
        try {
          const floorDir = `${runDir}-noise`;
          const again = await runEval({ root, env, evalName, models: [values.model!], sample, promptVersions: [version], out: floorDir, baseUrl: values['base-url'] === undefined ? undefined : checkedBaseUrl(values['base-url'], '--base-url'), storeDir: floorStore, progress: createProgress('quiet') });
          noise = { sent: again.sent, flips: flippedItems(items, await readBriefs(floorDir, version, primary)).length, n: items.size };
        } finally {
          rmSync(floorStore, { recursive: true, force: true });
        }
      }
      const change = (list: MetricChange[] | null, metric: string) => list?.find((c) => c.name === metric) ?? null;
      const detectable = (vsPrevious ?? []).filter((c) => c.detectable);
      if (values.json) {
        say(JSON.stringify({
          event: 'watch-run',
          iteration,
          run_dir: runDir,
          sent: outcome.sent,
          cached: outcome.cached,
          metrics: Object.fromEntries(
            METRICS.map((x) => {
              const p = change(vsPrevious, x.name);
              const r = change(vsReleased, x.name);
              return [
                x.name,
                {
                  value: x.get(current, primary),
                  vs_previous: prevGroup ? x.get(current, primary)! - (x.get(prevGroup, primary) ?? 0) : null,
                  vs_previous_ci: p?.ci ?? null,
                  vs_released: reference ? x.get(current, primary)! - (x.get(reference, primary) ?? 0) : null,
                  vs_released_ci: r?.ci ?? null,
                  detectable_vs_previous: p ? p.detectable : null,
                },
              ];
            }),
          ),
          change: previous ? (detectable.length ? 'detectable' : 'none-detectable') : null,
          flipped: flips.map((f) => ({ id: f.id, before: f.before ?? null, after: f.after ?? null })),
          flip_directions: previous ? directions : null,
          noise_floor: noise,
        }));
      } else {
        say(`\n[${new Date().toLocaleTimeString()}] ${name}@${version} x ${values.model} on ${sample} items: ${outcome.sent} sent, ${outcome.cached} from the store`);
        if (previous) {
          // The answer to "did my edit change anything?" first, then the table.
          say(
            detectable.length
              ? `  DETECTABLE CHANGE since the last save: ${detectable.map((c) => `${c.name} ${signed(c.delta)} (95% ${signed(c.ci!.lo)} .. ${signed(c.ci!.hi)})`).join('; ')}`
              : `  no detectable change since the last save (every paired 95% interval includes 0)`,
          );
        }
        say(`  ${'metric'.padEnd(22)} ${'now'.padStart(6)}  ${'vs last save (95% CI)'.padEnd(30)}  ${released ? `vs ${released} (released, 95% CI)` : ''}`);
        for (const x of METRICS) {
          const p = change(vsPrevious, x.name);
          const r = change(vsReleased, x.name);
          const withCi = (c: MetricChange | null, plain: string) => (c?.ci ? `${signed(c.delta)} (${signed(c.ci.lo)} .. ${signed(c.ci.hi)})` : plain);
          say(
            `  ${x.name.padEnd(22)} ${fmt(x.get(current, primary)).padStart(6)}  ${withCi(p, delta(x.get(current, primary), prevGroup ? x.get(prevGroup, primary) : undefined)).padEnd(30)}  ${reference ? withCi(r, delta(x.get(current, primary), x.get(reference, primary))) : ''}`,
          );
        }
        const floor = noise ? `; re-running the same version flips ${noise.flips} of ${noise.n} (the noise floor)` : '';
        if (previous) {
          say(
            flips.length
              ? `  ${flips.length} item(s) flipped since the last save (${directions.better} better, ${directions.worse} worse, ${directions.sideways} sideways)${floor}:`
              : `  no item flipped since the last save${floor}`,
          );
          for (const f of flips.slice(0, 10)) say(`    ${f.id}: ${describe(f.before)}  ->  ${describe(f.after)}`);
          if (flips.length > 10) say(`    … and ${flips.length - 10} more (run dir: ${relative(root, runDir)})`);
        } else if (noise) say(`  noise floor: re-running ${version} with every request sent again flipped ${noise.flips} of ${noise.n} items`);
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
