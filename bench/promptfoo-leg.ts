/**
 * The promptfoo leg of the benchmark: installs promptfoo into a temporary folder (once), and writes a
 * promptfoo project that sends the same requests as the plain loop (the v2 prompt rendered with the
 * same Handlebars templates) with an `is-json` assertion, cache and telemetry off.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import Handlebars from 'handlebars';

export const PROMPTFOO_VERSION = '0.123.1';

/** Install promptfoo into `dir` unless it is there already; returns the path of its CLI. */
export function installPromptfoo(dir: string): string {
  const bin = join(dir, 'node_modules/.bin/promptfoo');
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'qualbench-bench-promptfoo', private: true }));
  process.stderr.write(`installing promptfoo@${PROMPTFOO_VERSION} into ${dir} (a few minutes, ~2 GB)...\n`);
  execFileSync('npm', ['install', `promptfoo@${PROMPTFOO_VERSION}`, '--no-audit', '--no-fund', '--loglevel', 'error'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return bin;
}

/** Write `<project>/promptfoo/` for N rows at `baseURL`; returns its folder. */
export async function writePromptfooProject(project: string, baseURL: string, model: string): Promise<string> {
  const dir = join(project, 'promptfoo');
  mkdirSync(dir, { recursive: true });
  const env = Handlebars.create();
  env.registerHelper('json', (v: unknown) => JSON.stringify(v, null, 2));
  const prompts = join(project, 'prompts/candidate-screening/v2');
  const system = env.compile(readFileSync(join(prompts, 'system.hbs'), 'utf8'), { noEscape: true });
  const user = env.compile(readFileSync(join(prompts, 'user.hbs'), 'utf8'), { noEscape: true });
  const out = createWriteStream(join(dir, 'tests.jsonl'));
  const lines = createInterface({ input: createReadStream(join(project, 'datasets/candidates-golden/data.jsonl')), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    const row = JSON.parse(line) as { candidate: unknown };
    if (!out.write(JSON.stringify({ vars: { system: system({ candidate: row.candidate }), user: user({ candidate: row.candidate }) } }) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  writeFileSync(join(dir, 'prompt.mjs'), 'export default ({ vars }) => [{ role: "system", content: vars.system }, { role: "user", content: vars.user }];\n');
  writeFileSync(
    join(dir, 'promptfooconfig.yaml'),
    [
      'description: qualbench benchmark leg',
      'prompts:',
      '  - file://prompt.mjs',
      'providers:',
      `  - id: openai:chat:${model}`,
      '    config:',
      `      apiBaseUrl: ${baseURL}`,
      '      apiKey: EMPTY',
      '      temperature: 0',
      '      max_tokens: 768',
      'defaultTest:',
      '  assert:',
      '    - type: is-json',
      'tests: file://tests.jsonl',
      '',
    ].join('\n'),
  );
  return dir;
}

/** argv and environment to run the promptfoo eval of `dir` at a concurrency. */
export function promptfooCommand(bin: string, dir: string, concurrency: number): { argv: string[]; env: NodeJS.ProcessEnv } {
  return {
    argv: [bin, 'eval', '-c', join(dir, 'promptfooconfig.yaml'), '--no-cache', '--max-concurrency', String(concurrency), '--no-table', '--no-write', '--no-progress-bar'],
    env: { ...process.env, PROMPTFOO_DISABLE_TELEMETRY: '1', PROMPTFOO_DISABLE_UPDATE: '1', PROMPTFOO_CONFIG_DIR: join(dir, '.promptfoo') },
  };
}
