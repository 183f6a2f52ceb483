/**
 * Digest of the simulator's answers to the shipped candidate-screening prompts (v1-v3; free, json_object
 * and json_schema with the shipped contract; temperature 0 and 0.7; 4 models; every 5th golden row): one
 * sha256 per answer, written to <out>, and a total. Compare two source trees to prove a simulator change
 * leaves the shipped prompts' answers byte-identical:
 *   npx node test/scripts/sim-answer-digest.ts <tree> <out.txt>   (tree: a checkout with node_modules)
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
const WT = process.argv[2]!;
const out = process.argv[3]!;
const { generateAnswer } = await import(`${WT}/src/sim/generate.ts`);
const { compilePrompt } = await import(`${WT}/src/render/render-request.ts`);
const contract = JSON.parse(readFileSync(`${WT}/tasks/candidate-screening/contract.schema.json`, 'utf8'));
const rows = readFileSync(`${WT}/datasets/candidates-golden/data.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((_: unknown, i: number) => i % 5 === 0);
const models = ['meta-llama/Llama-3.2-1B-Instruct', 'google/gemma-3-4b-it', 'Qwen/Qwen3-4B-Instruct-2507', 'Qwen/Qwen3-4B'];
const lines: string[] = [];
const total = createHash('sha256');
for (const v of ['v1', 'v2', 'v3']) {
  const dir = `${WT}/prompts/candidate-screening/${v}`;
  let system: string | null = null;
  try { system = readFileSync(`${dir}/system.hbs`, 'utf8'); } catch {}
  const p = compilePrompt({ version: v, system, user: readFileSync(`${dir}/user.hbs`, 'utf8'), files: { system: system ? 'system.hbs' : null, user: 'user.hbs' } }, ['candidate']);
  for (const row of rows) {
    const messages = p.render(row);
    for (const model of models) for (const mode of ['free', 'json_object', 'json_schema'] as const) for (const temperature of [0, 0.7]) {
      const a = generateAnswer({ serverSeed: 0, model, messages, temperature, seed: null, maxTokens: 768, mode, schema: mode === 'json_schema' ? contract : null, thinking: true });
      const h = createHash('sha256').update(a).digest('hex');
      total.update(a);
      lines.push(`${v} ${row.id} ${model} ${mode} t${temperature} ${h}`);
    }
  }
}
writeFileSync(out, lines.join('\n') + '\n');
console.log(`${lines.length} answers, total sha256 ${total.digest('hex')}`);
