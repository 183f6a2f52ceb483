import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

function project(): string {
  const root = tempDir();
  cpSync(join(REPO_ROOT, 'prompts'), join(root, 'prompts'), { recursive: true });
  return root;
}

describe('qualbench prompts', () => {
  it('new scaffolds the next version as a draft, release locks it only once described, diff shows text and variables', async () => {
    const root = project();
    const lockFile = join(root, 'prompts/candidate-screening/prompts.lock.json');
    const lockBefore = readFileSync(lockFile, 'utf8');

    const created = await runCli(['prompts', 'new', 'candidate-screening'], { cwd: root });
    expect(created.code, created.stderr).toBe(0);
    const v4 = join(root, 'prompts/candidate-screening/v4');
    expect(readFileSync(join(v4, 'user.hbs'), 'utf8')).toBe(readFileSync(join(root, 'prompts/candidate-screening/v3/user.hbs'), 'utf8'));
    expect(JSON.parse(readFileSync(join(v4, 'meta.json'), 'utf8'))).toMatchObject({ version: 'v4', changes: '', why: '' });
    expect(readFileSync(lockFile, 'utf8')).toBe(lockBefore);
    expect((await runCli(['prompts', 'list'], { cwd: root })).stdout).toMatch(/candidate-screening@v4\s+\w{12}\s+draft/);

    const early = await runCli(['prompts', 'release', 'candidate-screening@v4'], { cwd: root });
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/prompts\/candidate-screening\/v4\/meta\.json: field `changes`/);

    writeFileSync(join(v4, 'user.hbs'), readFileSync(join(v4, 'user.hbs'), 'utf8').replace('{{json candidate}}', 'Candidate {{candidate.name}}:\n{{json candidate}}'));
    const diff = await runCli(['prompts', 'diff', 'candidate-screening@v3', 'candidate-screening@v4'], { cwd: root });
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toMatch(/^\+Candidate \{\{candidate\.name\}\}:$/m);
    expect(diff.stdout).toMatch(/variables added:\s+candidate\.name/);
    expect(diff.stdout).toMatch(/variables removed:\s+\(none\)/);

    writeFileSync(join(v4, 'meta.json'), JSON.stringify({ version: 'v4', date: '2026-11-23', changes: 'Names the candidate first.', why: 'Fewer wrong-candidate answers.' }));
    const released = await runCli(['prompts', 'release', 'candidate-screening@v4'], { cwd: root });
    expect(released.code, released.stderr).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(lockFile, 'utf8')))).toEqual(['v1', 'v2', 'v3', 'v4']);

    writeFileSync(join(v4, 'user.hbs'), 'changed after release {{json candidate}}');
    const locked = await runCli(['prompts', 'list'], { cwd: root });
    expect(locked.code).toBe(2);
    expect(locked.stderr).toMatch(/released prompt candidate-screening@v4 changed/);
    expect(locked.stderr).toMatch(/create the next version/);
  });

  it('rejects malformed references and unknown versions with usage', async () => {
    const root = project();
    const bad = await runCli(['prompts', 'diff', 'candidate-screening', 'candidate-screening@v2'], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/name@vN/);
    const missing = await runCli(['prompts', 'diff', 'candidate-screening@v1', 'candidate-screening@v9'], { cwd: root });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Known versions: v1, v2, v3/);
    expect(existsSync(join(root, 'prompts/candidate-screening/v4'))).toBe(false);
  });
});
