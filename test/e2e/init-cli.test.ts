/** `qualbench init` from source, in a temporary project folder (the installed package: test/e2e/package.test.ts). */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { everyFile, tempDir } from '../helpers/tmp.ts';

describe('qualbench init', () => {
  it('scaffolds a project the other commands load: dataset checksum, prompt, eval', async () => {
    const dir = tempDir('qualbench-init-');
    const r = await runCli(['init', '--rows-per-class', '2'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Wrote 7 files');
    const stats = await runCli(['datasets', 'stats', 'candidates-example', '--json'], { cwd: dir });
    expect(stats.code, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ rows: 10 });
    const prompts = await runCli(['prompts', 'list', 'candidate-screening'], { cwd: dir });
    expect(prompts.code, prompts.stderr).toBe(0);
    expect(prompts.stdout).toMatch(/^candidate-screening@v1 .* draft /m);
    const def = JSON.parse(readFileSync(join(dir, 'evals/candidate-screening.json'), 'utf8')) as { dataset: string; prompt_versions: string[] };
    expect(def).toMatchObject({ dataset: 'candidates-example', prompt_versions: ['v1'] });
  });

  it('writes nothing when one of its files exists, and names it', async () => {
    const dir = tempDir('qualbench-init-');
    mkdirSync(join(dir, 'evals'));
    writeFileSync(join(dir, 'evals/models.json'), '{"models": []}\n');
    const r = await runCli(['init'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing written: this file exists already: evals/models.json');
    expect(everyFile(dir).map((f) => f.slice(dir.length + 1))).toEqual(['evals/models.json']);
    expect(readFileSync(join(dir, 'evals/models.json'), 'utf8')).toBe('{"models": []}\n');
  });

  it('refuses a bad option with its name', async () => {
    const dir = tempDir('qualbench-init-');
    const r = await runCli(['init', '--rows-per-class', '0'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--rows-per-class');
    expect(existsSync(join(dir, 'evals'))).toBe(false);
  });
});
