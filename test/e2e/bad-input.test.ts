/**
 * Bad input, one thing broken per case, through the CLI as a user runs it: each case exits with
 * the documented code, names the file, line and field where there are ones, says what to do, and
 * writes no run directory.
 */
import { describe, expect, it } from 'vitest';
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { tempProject } from '../helpers/project.ts';
import { spawnSimulator } from '../helpers/sim-process.ts';

const DATA = 'datasets/candidates-golden/data.jsonl';
const MANIFEST = 'datasets/candidates-golden/manifest.json';
const CLOSED = 'http://127.0.0.1:9/v1';

/** Rewrite the data file and keep the manifest consistent, so the row itself is what is wrong. */
function rewriteData(root: string, edit: (lines: string[]) => string[], raw?: (text: string) => string) {
  const lines = readFileSync(join(root, DATA), 'utf8').split('\n').filter(Boolean);
  let text = edit(lines).join('\n') + '\n';
  if (raw) text = raw(text);
  writeFileSync(join(root, DATA), text);
  const manifest = JSON.parse(readFileSync(join(root, MANIFEST), 'utf8'));
  manifest.sha256 = createHash('sha256').update(text).digest('hex');
  manifest.rows = text.split('\n').filter((l) => l.trim()).length;
  writeFileSync(join(root, MANIFEST), JSON.stringify(manifest, null, 2));
}

const row = (lines: string[], i: number) => JSON.parse(lines[i]!) as Record<string, any>;
const setRow = (lines: string[], i: number, f: (r: Record<string, any>) => void) => {
  const r = row(lines, i);
  f(r);
  lines[i] = JSON.stringify(r);
  return lines;
};
const editJson = (root: string, file: string, f: (j: any) => void) => {
  const j = JSON.parse(readFileSync(join(root, file), 'utf8'));
  f(j);
  writeFileSync(join(root, file), JSON.stringify(j, null, 2));
};
/** A draft v4 (not locked) with this user template, run alone. */
const draft = (root: string, user: string) => {
  cpSync(join(root, 'prompts/candidate-screening/v3'), join(root, 'prompts/candidate-screening/v4'), { recursive: true });
  writeFileSync(join(root, 'prompts/candidate-screening/v4/meta.json'), JSON.stringify({ version: 'v4', date: '2026-11-23', changes: 'x', why: 'y' }));
  writeFileSync(join(root, 'prompts/candidate-screening/v4/user.hbs'), user);
  editJson(root, 'evals/candidate-screening.json', (e) => (e.prompt_versions = ['v4']));
};

interface Case {
  name: string;
  setup?: (root: string) => void;
  args?: string[];
  code?: number;
  expect: RegExp[];
}

const CASES: Case[] = [
  { name: 'malformed JSONL line', setup: (r) => rewriteData(r, (l) => ((l[2] = l[2]!.slice(0, 40)), l)), expect: [/data\.jsonl:3: not valid JSON/, /one JSON object/] },
  { name: 'duplicate item id', setup: (r) => rewriteData(r, (l) => setRow(l, 4, (x) => (x.id = 'cand-0001'))), expect: [/data\.jsonl:5: field `id`: duplicate item id `cand-0001` \(first on line 1\)/] },
  { name: 'wrong enum value', setup: (r) => rewriteData(r, (l) => setRow(l, 1, (x) => (x.gold.recommendation = 'Hire'))), expect: [/data\.jsonl:2: field `gold\.recommendation`/] },
  { name: 'a JSON array on a line', setup: (r) => rewriteData(r, (l) => ((l[3] = '["cand-0004", "Yes"]'), l)), expect: [/data\.jsonl:4: the line holds a JSON array, not an object/, /one JSON object: \{"id"/] },
  { name: 'a number on a line', setup: (r) => rewriteData(r, (l) => ((l[0] = '42'), l)), expect: [/data\.jsonl:1: the line holds a JSON number, not an object/] },
  { name: 'a string on a line', setup: (r) => rewriteData(r, (l) => ((l[1] = '"cand-0002"'), l)), expect: [/data\.jsonl:2: the line holds a JSON string, not an object/] },
  { name: 'a whole JSON array instead of JSONL', setup: (r) => rewriteData(r, (l) => ['[', ...l.map((x, i) => x + (i < l.length - 1 ? ',' : '')), ']']), expect: [/data\.jsonl:1: /, /rows have problems/, /looks like one JSON array; a dataset is JSONL/] },
  { name: 'a missing gold label', setup: (r) => rewriteData(r, (l) => setRow(l, 1, (x) => delete x.gold.recommendation)), expect: [/data\.jsonl:2: field `gold\.recommendation`: the gold label `recommendation` is missing; allowed: "Strong Yes", "Yes", "Maybe", "No", "Strong No"/, /task\.json declares for it/] },
  { name: 'a gold label off its scale by case', setup: (r) => rewriteData(r, (l) => setRow(l, 6, (x) => (x.gold.analysis.trajectory = 'good'))), expect: [/data\.jsonl:7: field `gold\.analysis\.trajectory`: the gold label `trajectory` is "good", not on its scale \(the scale spells it "Good"\); allowed: "Great", "Good", "Okay", "Weak"/] },
  { name: 'an id of the wrong type', setup: (r) => rewriteData(r, (l) => setRow(l, 2, (x) => (x.id = 17))), expect: [/data\.jsonl:3: field `id`: /, /Give every row an `id`/] },
  {
    name: 'every bad row is reported, capped at 20 with the total',
    setup: (r) => rewriteData(r, (l) => {
      for (const i of [3, 10, 11, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59]) setRow(l, i, (x) => (x.gold.recommendation = 'Hire'));
      l[100] = '[1]';
      return l;
    }),
    expect: [/data\.jsonl: 24 rows have problems \(the first 20 listed\):/, /\n  datasets\/candidates-golden\/data\.jsonl:4: field `gold\.recommendation`: the gold label `recommendation` is "Hire"/, /\n  datasets\/candidates-golden\/data\.jsonl:11: /, /… and 4 more/, /task\.json declares for it/],
  },
  { name: 'wrong field type', setup: (r) => rewriteData(r, (l) => setRow(l, 3, (x) => (x.candidate.skills = 'TypeScript'))), expect: [/data\.jsonl:4: field `candidate\.skills`/] },
  { name: 'missing field', setup: (r) => rewriteData(r, (l) => setRow(l, 3, (x) => delete x.candidate.name)), expect: [/data\.jsonl:4: field `candidate\.name`/] },
  { name: 'unknown field', setup: (r) => rewriteData(r, (l) => setRow(l, 0, (x) => (x.candidate.salary = 1))), expect: [/data\.jsonl:1/, /salary/] },
  { name: 'bad month', setup: (r) => rewriteData(r, (l) => setRow(l, 0, (x) => (x.candidate.experience[0].start = '2020-13'))), expect: [/data\.jsonl:1: field `candidate\.experience\.0\.start`: expected YYYY-MM/] },
  { name: 'bad item id', setup: (r) => rewriteData(r, (l) => setRow(l, 0, (x) => (x.id = '../../x'))), expect: [/data\.jsonl:1: field `id`/] },
  { name: 'a 10 MB row', setup: (r) => rewriteData(r, (l) => setRow(l, 2, (x) => (x.candidate.experience[0].description = 'x'.repeat(10_000_000)))), expect: [/data\.jsonl:3: line is \d+ bytes, longer than the limit/] },
  { name: 'a 30 MB last line with no newline (read in bounded memory)', setup: (r) => rewriteData(r, (l) => [...l, `{"id": "big", "x": "${'x'.repeat(30_000_000)}"}`], (t) => t.replace(/\n$/, '')), expect: [/data\.jsonl:606: line is 30000022 bytes, longer than the limit of 8 MB/] },
  { name: 'a 9 MB line between good rows', setup: (r) => rewriteData(r, (l) => [l[0]!, 'y'.repeat(9_000_000), ...l.slice(1)]), expect: [/data\.jsonl:2: line is 9000000 bytes, longer than the limit of 8 MB/] },
  { name: 'data changed without a new version', setup: (r) => appendFileSync(join(r, DATA), '\n'), expect: [/data\.jsonl: the data file's sha256/, /immutable/, /bump "version"/] },
  { name: 'manifest row count wrong', setup: (r) => editJson(r, MANIFEST, (m) => (m.rows = 9)), expect: [/manifest\.json: field `rows`: the data file has 605 rows, the manifest says 9/] },
  { name: 'manifest points outside its folder', setup: (r) => editJson(r, MANIFEST, (m) => (m.file = '../../package.json')), expect: [/manifest\.json: field `file`: the data file must sit inside the dataset folder/] },
  { name: 'empty dataset', setup: (r) => rewriteData(r, () => [], () => ''), expect: [/data\.jsonl: the dataset has no rows/] },
  { name: 'dataset that does not exist', setup: (r) => editJson(r, 'evals/candidate-screening.json', (e) => (e.dataset = 'nope')), expect: [/datasets\/nope\/manifest\.json: no dataset named `nope`/] },
  { name: 'missing template variable', setup: (r) => draft(r, 'Rate {{candidate.nickname}}\n{{json candidate}}'), expect: [/v4\/user\.hbs:1: field `candidate\.nickname`: template variable `candidate\.nickname` is not defined/, /data\.jsonl:1/] },
  { name: 'unknown helper', setup: (r) => draft(r, '{{shout candidate.name}}'), expect: [/v4\/user\.hbs:1: field `shout`: template does not compile/, /helpers: json/] },
  { name: 'template reading __proto__', setup: (r) => draft(r, 'Rate\n{{candidate.__proto__}}'), expect: [/v4\/user\.hbs:2: field `candidate\.__proto__`: template reads `__proto__`, which is not data/] },
  { name: 'template reading a constructor', setup: (r) => draft(r, '{{candidate.name.constructor}}'), expect: [/v4\/user\.hbs:1: field `candidate\.name\.constructor`: template reads `constructor`/] },
  { name: 'template looking up a constructor', setup: (r) => draft(r, '{{lookup candidate "constructor"}}'), expect: [/v4\/user\.hbs:1: .*template reads `constructor`/] },
  { name: 'template with an unclosed #each', setup: (r) => draft(r, 'Rate\n{{#each candidate.skills}}\n- {{this}}\n\nAnswer in JSON.'), expect: [/v4\/user\.hbs:2: field `each`: template does not compile: `\{\{#each\}\}` opened on line 2 is never closed; add `\{\{\/each\}\}`/] },
  { name: 'template with an unclosed #if inside a closed #each', setup: (r) => draft(r, '{{#each candidate.skills}}\n{{this}}\n{{/each}}\n{{#if candidate.name}}\nx'), expect: [/v4\/user\.hbs:4: field `if`: .*`\{\{#if\}\}` opened on line 4 is never closed/] },
  { name: 'template closing #if with /each', setup: (r) => draft(r, 'a\n{{#if candidate.name}}\nb\n{{/each}}'), expect: [/v4\/user\.hbs:2: field `if`: .*`\{\{#if\}\}` opened on line 2 is closed by `\{\{\/each\}\}` on line 4; close it with `\{\{\/if\}\}`/] },
  { name: 'template closing a block never opened', setup: (r) => draft(r, 'a\n\n{{json candidate}} {{/if}}'), expect: [/v4\/user\.hbs:3: field `if`: .*`\{\{\/if\}\}` on line 3 closes no open block/] },
  { name: 'template with an unterminated mustache', setup: (r) => draft(r, 'a\n{{json candidate\nb'), expect: [/v4\/user\.hbs:2: template does not compile: Handlebars parse error: Expecting /] },
  { name: 'template with {{#each}} and nothing to go through', setup: (r) => draft(r, 'Rate\n\n{{#each}}- {{this}}{{/each}}\n{{json candidate}}'), expect: [/v4\/user\.hbs:3: field `each`: `\{\{#each\}\}` needs exactly one argument, got 0/, /Name the list to go through/] },
  { name: 'template with {{else}} outside a block', setup: (r) => draft(r, '{{json candidate}}\n{{else}}\nx'), expect: [/v4\/user\.hbs:2: field `else`: template does not compile: `\{\{else\}\}` outside a block/] },
  { name: 'template using a partial', setup: (r) => draft(r, 'a\n{{> header}}\n{{json candidate}}'), expect: [/v4\/user\.hbs:2: template uses a partial, which prompts do not support/] },
  { name: 'template syntax error', setup: (r) => draft(r, 'Rate {{#if candidate.name}} unclosed'), expect: [/v4\/user\.hbs.*does not compile/] },
  { name: 'edited released prompt', setup: (r) => appendFileSync(join(r, 'prompts/candidate-screening/v2/user.hbs'), '\nBe brief.'), expect: [/v2\/user\.hbs: released prompt candidate-screening@v2 changed/, /create the next version/] },
  { name: 'prompt version that does not exist', setup: (r) => editJson(r, 'evals/candidate-screening.json', (e) => (e.prompt_versions = ['v1', 'v9'])), expect: [/prompt `candidate-screening` has no version `v9`/, /Known versions: v1, v2, v3/] },
  { name: 'prompt meta.json for another version', setup: (r) => editJson(r, 'prompts/candidate-screening/v3/meta.json', (m) => (m.version = 'v2')), expect: [/v3\/meta\.json: field `version`/] },
  { name: 'unknown scorer id', setup: (r) => editJson(r, 'evals/candidate-screening.json', (e) => e.scorers.push('vibes')), expect: [/evals\/candidate-screening\.json.*field `scorers\.\d+`/, /vibes/, /json-strict/] },
  { name: 'unknown model', args: ['--model', 'openai/gpt-9'], expect: [/evals\/models\.json: field `models`: unknown model `openai\/gpt-9`/, /google\/gemma-3-4b-it/] },
  { name: 'out-of-range sampling value (95 for 0.95)', setup: (r) => editJson(r, 'evals/candidate-screening.json', (e) => (e.sampling.temperature = 95)), expect: [/evals\/candidate-screening\.json:\d+: field `sampling\.temperature`/] },
  { name: 'prompt_versions of the wrong type', setup: (r) => editJson(r, 'evals/candidate-screening.json', (e) => (e.prompt_versions = 'v1')), expect: [/evals\/candidate-screening\.json:\d+: field `prompt_versions`/] },
  { name: 'eval that does not exist', args: ['--eval', 'nope'], expect: [/evals\/nope\.json: no eval named `nope`/, /Known evals: candidate-screening/] },
  { name: 'eval name escaping its folder', args: ['--eval', '../package'], expect: [/not a kebab-case name/] },
  { name: 'models file that is not JSON', setup: (r) => writeFileSync(join(r, 'evals/models.json'), '{\n  "models": [\n    { "id": "x", }\n  ]\n}'), expect: [/evals\/models\.json:3: not valid JSON/] },
  { name: 'model listed twice', setup: (r) => editJson(r, 'evals/models.json', (m) => m.models.push({ id: 'google/gemma-3-4b-it' })), expect: [/evals\/models\.json: field `models\.3\.id`: model `google\/gemma-3-4b-it` is listed twice/] },
  { name: 'API key written instead of a variable name', setup: (r) => editJson(r, 'evals/models.json', (m) => (m.models[0].api_key_env = 'sk-abc123')), expect: [/evals\/models\.json:\d+: field `models\.0\.api_key_env`/] },
  { name: 'a model entry with "url" for base_url', setup: (r) => editJson(r, 'evals/models.json', (m) => (m.models[1].url = 'http://127.0.0.1:8000/v1')), expect: [/evals\/models\.json:\d+: field `models\.1\.url`: `url` is not a field here/, /write "base_url" \(ending in \/v1\)/] },
  { name: 'sampling written into a model entry', setup: (r) => editJson(r, 'evals/models.json', (m) => (m.models[0].temperature = 0.2)), expect: [/field `models\.0\.temperature`/, /the eval's "sampling": \{"temperature": …\}/] },
  { name: 'sampling written at the top of an eval', setup: (r) => editJson(r, 'evals/candidate-screening.json', (e) => (e.max_tokens = 900)), expect: [/evals\/candidate-screening\.json:\d+: field `max_tokens`: `max_tokens` is not a field here/, /write "sampling": \{"max_tokens": …\}/] },
  { name: 'models config pointing at a closed port', setup: (r) => editJson(r, 'evals/models.json', (m) => m.models.forEach((x: any) => (x.base_url = CLOSED))), args: ['--no-base-url'], code: 3, expect: [/Nothing answered at http:\/\/127\.0\.0\.1:9\/v1/, /vllm serve/] },
  { name: '--sample 0', args: ['--sample', '0'], expect: [/field `--sample`: Expected `--sample` to be a whole number from 1 up, got `0`/] },
  { name: 'negative --concurrency', args: ['--concurrency=-4'], expect: [/Expected `--concurrency` to be a whole number from 1 up, got `-4`/] },
  { name: '--sample in exponent notation', args: ['--sample', '1e3'], expect: [/field `--sample`: Expected `--sample` to be a whole number from 1 up, got `1e3`/] },
  { name: '--sample in hex', args: ['--sample', '0x10'], expect: [/field `--sample`: Expected `--sample` to be a whole number from 1 up, got `0x10`/] },
  { name: 'negative --concurrency after a space', args: ['--concurrency', '-4'], expect: [/field `--concurrency`: `--concurrency -4`: a value that starts with "-" is read as another option/, /--concurrency=-4/] },
  { name: '--base-url that is not a URL', args: ['--base-url', 'htp:/x'], expect: [/field `--base-url`: `htp:\/x` is not an http\(s\) URL/, /localhost:8000\/v1/] },
  { name: '--sample above the dataset size', args: ['--sample', '100000'], expect: [/field `--sample`: --sample 100000 is more than the 605 rows of dataset candidates-golden/, /Leave out --sample/] },
  { name: '--out naming a folder that is not a run', setup: (r) => writeFileSync(join(r, 'notes.txt'), 'x'), args: ['--out', '.'], expect: [/field `--out`: the output directory already holds files/, /not a run directory \(no manifest\.json\): choose a new --out/] },
  { name: 'unknown option', args: ['--frobnicate'], expect: [/Unknown option '--frobnicate'/, /qualbench --help/] },
  { name: '--out inside a file', setup: (r) => writeFileSync(join(r, 'afile'), 'x'), args: ['--out', 'afile/run'], expect: [/field `--out`: cannot create the run directory/] },
  { name: '--resume of a folder that is not a run', setup: (r) => mkdirSync(join(r, 'notarun')), args: ['--resume', 'notarun'], expect: [/notarun: field `--resume`: not a run directory/] },
  { name: '--out and --resume together', args: ['--resume', 'x'], expect: [/either --out .* or --resume/] },
];

describe('bad input', () => {
  it('VLLM_BASE_URL that is not a URL is named', async () => {
    const root = tempProject();
    const r = await runCli(['eval', '--out', 'run', '--store', 'store', '--sample', '2'], { cwd: root, env: { VLLM_BASE_URL: 'htp:/x' } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/field `VLLM_BASE_URL`: `htp:\/x` is not an http\(s\) URL/);
    expect(existsSync(join(root, 'run'))).toBe(false);
  });

  it('a base URL without /v1 is told to add it', async () => {
    const sim = await spawnSimulator(['--speed', 'instant']);
    try {
      const root = tempProject();
      const r = await runCli(['eval', '--out', 'run', '--store', 'store', '--sample', '2', '--base-url', sim.baseURL.replace(/\/v1$/, '')], { cwd: root });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/answered 404: the server is there, but not the OpenAI-compatible API at that path/);
      expect(r.stderr).toContain(`try ${sim.baseURL}`);
      expect(await sim.chatRequests()).toBe(0);
    } finally {
      await sim.stop();
    }
  });

  it('a host name that does not resolve is said to be one (exit 3, resumable)', async () => {
    const root = tempProject();
    const r = await runCli(['eval', '--out', 'run', '--store', 'store', '--sample', '2', '--base-url', 'http://no-such-host.invalid:8000/v1'], { cwd: root });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/the host name `no-such-host\.invalid` does not resolve \((ENOTFOUND|EAI_AGAIN)\)/);
  });

  it.each([['eval'], ['demo'], ['gate'], ['baseline', 'update'], ['compare'], ['rescore'], ['report'], ['import'], ['export-batch'], ['watch'], ['batch'], ['prompts', 'list'], ['prompts', 'new'], ['prompts', 'diff'], ['prompts', 'release'], ['datasets', 'stats'], ['sim'], ['init']])('`%s --help` prints its usage and exits 0', async (...cmd) => {
    const r = await runCli([...cmd.filter(Boolean), '--help'], { cwd: tempProject() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`(qualbench|qualbench-sim)[^\\n]*${cmd[0]}|Usage`, 'i'));
    expect(r.stderr).toBe('');
  });

  it.each(CASES)('$name', async (c) => {
    const root = tempProject();
    c.setup?.(root);
    const extra = c.args ?? [];
    const base = extra.includes('--no-base-url') ? [] : ['--base-url', CLOSED];
    const out = extra.includes('--out') || extra.includes('--resume') ? [] : ['--out', 'run'];
    const args = ['eval', ...out, ...base, '--store', 'store', ...extra.filter((a) => a !== '--no-base-url')];
    if (c.name === '--out and --resume together') args.push('--out', 'run');
    const r = await runCli(args, { cwd: root });
    expect(r.code, r.stderr).toBe(c.code ?? 2);
    for (const re of c.expect) expect(r.stderr).toMatch(re);
    expect(r.stderr).not.toMatch(/internal error|    at /); // no stack for a user error
    expect(existsSync(join(root, 'run'))).toBe(false); // nothing written
  });

  const SECRET = 'sk-proj-Zq7VhXw2Lr9dKc4Tn8Bm';
  it.each([
    ['an inline api_key in models.json', (r: string) => editJson(r, 'evals/models.json', (m) => (m.models[0].api_key = SECRET)), /evals\/models\.json:\d+: field `models\.0\.api_key`: `api_key` looks like an API key or other secret[\s\S]*"api_key_env": "OPENAI_API_KEY"[\s\S]*rotate it/],
    ['a key under "token" in models.json', (r: string) => editJson(r, 'evals/models.json', (m) => (m.models[2].token = SECRET)), /field `models\.2\.token`: `token` looks like an API key/],
    ['the key itself as api_key_env', (r: string) => editJson(r, 'evals/models.json', (m) => (m.models[0].api_key_env = SECRET)), /field `models\.0\.api_key_env`: `api_key_env` names an environment variable[\s\S]*may be the key itself/],
    ['an api_key in an eval', (r: string) => editJson(r, 'evals/candidate-screening.json', (e) => (e.api_key = SECRET)), /evals\/candidate-screening\.json:\d+: field `api_key`: [\s\S]*An eval holds no credentials/],
    ['a password in a model\'s base_url', (r: string) => editJson(r, 'evals/models.json', (m) => (m.models[1].base_url = `https://user:${SECRET}@gpu-host:8000/v1`)), /field `models\.1\.base_url`: `base_url` carries a user name or password in the URL \(not shown here\)/],
    ['a key inside extra_body (sent with every request, recorded in the manifest)', (r: string) => editJson(r, 'evals/models.json', (m) => (m.models[0].extra_body = { auth: { token: SECRET } })), /field `models\.0\.extra_body\.auth`: `auth` looks like an API key/],
    ['a password in --base-url', (_r: string) => {}, /field `--base-url`: the URL carries a user name or password \(not shown here\)[\s\S]*without them \(https:\/\/gpu-host:8000\/v1\)/, ['--base-url', `https://user:${SECRET}@gpu-host:8000/v1`]],
    ['an unquoted key that breaks the JSON', (r: string) => writeFileSync(join(r, 'evals/models.json'), `{\n  "models": [\n    { "id": "google/gemma-3-4b-it", "api_key": ${SECRET} }\n  ]\n}\n`), /evals\/models\.json:3: not valid JSON \(Unexpected token 's'\)/],
  ] as Array<[string, (r: string) => void, RegExp, string[]?]>)('%s: named with file, line and field, the value never echoed', async (_name, setup, re, args) => {
    const root = tempProject();
    setup(root);
    const r = await runCli(['eval', '--out', 'run', ...(args ?? ['--base-url', CLOSED]), '--store', 'store'], { cwd: root });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(re);
    expect(r.stderr + r.stdout).not.toContain(SECRET.slice(3, 11));
    expect(existsSync(join(root, 'run'))).toBe(false);
  });

  it('invalid UTF-8 in a row is named with file, line and field (not silently turned into U+FFFD)', async () => {
    const root = tempProject();
    const lines = readFileSync(join(root, DATA), 'utf8').split('\n').filter(Boolean);
    const row = JSON.parse(lines[2]!) as { candidate: { name: string } };
    const bytes = Buffer.concat(
      lines.map((l, i) => {
        if (i !== 2) return Buffer.from(l + '\n');
        // The candidate's name as a Latin-1 export would write "é": one byte 0xE9, not valid UTF-8.
        const [before, after] = l.split(JSON.stringify(row.candidate.name));
        return Buffer.concat([Buffer.from(before + '"Jos'), Buffer.from([0xe9]), Buffer.from('"' + after + '\n')]);
      }),
    );
    writeFileSync(join(root, DATA), bytes);
    const manifest = JSON.parse(readFileSync(join(root, MANIFEST), 'utf8'));
    manifest.sha256 = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(join(root, MANIFEST), JSON.stringify(manifest, null, 2));
    const r = await runCli(['eval', '--out', 'run', '--store', 'store', '--base-url', CLOSED], { cwd: root });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/data\.jsonl:3: field `candidate\.name`: the line is not valid UTF-8/);
    expect(existsSync(join(root, 'run'))).toBe(false);
  });

  it('accepts a last line without a newline, and blank lines between rows', async () => {
    const root = tempProject();
    rewriteData(root, (l) => [...l.slice(0, 3), '', '   ', ...l.slice(3)], (text) => text.replace(/\n$/, ''));
    const r = await runCli(['datasets', 'stats', '--json'], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 605 });
  });

  it('accepts a BOM and CRLF line ends', async () => {
    const root = tempProject();
    rewriteData(root, (l) => l, (text) => '\uFEFF' + text.replace(/\n/g, '\r\n'));
    const r = await runCli(['datasets', 'stats', '--json'], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 605 });
  });
});
