/**
 * The architecture, enforced: each stage folder imports only src/core and its own files;
 * src/core imports nothing else of ours; only the composition root (src/*.ts) wires stages.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import fg from 'fast-glob';
import { REPO_ROOT } from '../helpers/cli.ts';

const STAGES = ['core', 'load', 'render', 'run', 'score', 'aggregate', 'report', 'gate', 'sim'] as const;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const spec = m[1] ?? m[2];
    if (spec?.startsWith('.')) out.push(spec);
  }
  return out;
}

describe('architecture', () => {
  const files = fg.sync('src/**/*.ts', { cwd: REPO_ROOT, absolute: true });

  it('finds the stages', () => {
    const present = new Set(files.map((f) => relative(join(REPO_ROOT, 'src'), f).split('/')[0]));
    for (const s of ['core', 'load', 'render', 'run', 'score', 'aggregate', 'report', 'sim']) expect(present.has(s), s).toBe(true);
  });

  for (const stage of STAGES) {
    it(`src/${stage} imports only src/core and its own files`, () => {
      const bad: string[] = [];
      for (const file of files.filter((f) => relative(join(REPO_ROOT, 'src'), f).startsWith(`${stage}/`))) {
        for (const spec of importsOf(file)) {
          const target = relative(join(REPO_ROOT, 'src'), resolve(dirname(file), spec));
          const top = target.split('/')[0];
          const allowed = top === stage || (stage !== 'core' && top === 'core');
          if (!allowed) bad.push(`${relative(REPO_ROOT, file)} -> ${spec}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }
});
