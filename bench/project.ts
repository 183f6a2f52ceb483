/** A throwaway project with an N-row dataset (the golden rows repeated under new ids) and a one-group eval. */
import { cpSync, mkdirSync, readFileSync, writeFileSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export async function makeBenchProject(repo: string, dir: string, n: number, model: string): Promise<void> {
  for (const d of ['prompts', 'evals']) cpSync(join(repo, d), join(dir, d), { recursive: true });
  const golden = readFileSync(join(repo, 'datasets/candidates-golden/data.jsonl'), 'utf8').split('\n').filter(Boolean);
  const ds = join(dir, 'datasets/candidates-golden');
  mkdirSync(ds, { recursive: true });
  const out = createWriteStream(join(ds, 'data.jsonl'));
  const hash = createHash('sha256');
  for (let i = 0; i < n; i++) {
    const row = JSON.parse(golden[i % golden.length]!) as { id: string; candidate: { name: string } };
    row.id = `b-${String(i).padStart(7, '0')}`;
    row.candidate.name = `${row.candidate.name} ${i}`; // every request distinct: no store hits
    const line = JSON.stringify(row) + '\n';
    hash.update(line);
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  writeFileSync(join(ds, 'manifest.json'), JSON.stringify({ name: 'candidates-golden', version: `bench-${n}`, file: 'data.jsonl', rows: n, sha256: hash.digest('hex'), provenance: 'bench: golden rows repeated' }, null, 2));
  writeFileSync(
    join(dir, 'evals/bench.json'),
    JSON.stringify({ name: 'bench', dataset: 'candidates-golden', prompt: 'candidate-screening', prompt_versions: ['v2'], model_ids: [model], scorers: ['json-strict', 'schema', 'follows-instructions'], sampling: { temperature: 0, max_tokens: 768 }, stream: false }, null, 2),
  );
}
