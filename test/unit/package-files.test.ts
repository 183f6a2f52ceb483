/**
 * qualbench's own files are located by one module (src/core/package-files.ts), so they resolve both
 * from the sources and from the build in an installed package (test/e2e/package.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fg from 'fast-glob';
import { REPO_ROOT } from '../helpers/cli.ts';
import { CONTRACT_SCHEMA_FILE, FROM_SOURCE, PACKAGE_ROOT, codeFile, packageFile, packageVersion } from '../../src/core/package-files.ts';

/** Modules that may use import.meta.url for something else than locating a shipped file. */
const ALLOWED = new Set([
  'src/core/package-files.ts',
  'src/sim/main.ts', // am I the entry point?
  'src/aggregate/write-summary-schema.ts', // repository tools: write schemas/ in the checkout
  'src/gate/write-gate-schema.ts',
]);

describe('package files', () => {
  it('resolve in the source layout', () => {
    expect(FROM_SOURCE).toBe(true);
    expect(PACKAGE_ROOT).toBe(REPO_ROOT);
    expect(codeFile('sim/main')).toBe(join(REPO_ROOT, 'src/sim/main.ts'));
    for (const f of [codeFile('sim/main'), CONTRACT_SCHEMA_FILE, packageFile('reports', 'report.md.hbs'), packageFile('reports', 'report.html.hbs')]) expect(existsSync(f), f).toBe(true);
    expect(packageVersion()).toBe((JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('no other module locates files from import.meta', () => {
    const offenders = fg
      .sync('src/**/*.ts', { cwd: REPO_ROOT, absolute: true })
      .filter((f) => !ALLOWED.has(relative(REPO_ROOT, f)))
      .filter((f) => /import\.meta\.(url|dirname|filename)/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(REPO_ROOT, f));
    expect(offenders, 'use packageFile / codeFile / codeAsset from src/core/package-files.ts').toEqual([]);
  });
});
