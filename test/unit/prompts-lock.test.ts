/**
 * Released prompt versions are immutable (locked by content hash), and every template compiles
 * strictly and renders for every row of the golden dataset.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { canonicalJson, sha256 } from '../../src/core/hash.ts';
import { DatasetRow } from '../../src/tasks/candidate-screening/records.ts';
import { hashPromptTexts } from '../../src/load/load-prompts.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PROMPT_DIR = join(ROOT, 'prompts', 'candidate-screening');
const lock = JSON.parse(readFileSync(join(PROMPT_DIR, 'prompts.lock.json'), 'utf8')) as Record<string, string>;
const versions = readdirSync(PROMPT_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && /^v\d+$/.test(d.name))
  .map((d) => d.name)
  .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));

function read(version: string): { system: string | null; user: string } {
  const dir = join(PROMPT_DIR, version);
  return {
    system: existsSync(join(dir, 'system.hbs')) ? readFileSync(join(dir, 'system.hbs'), 'utf8') : null,
    user: readFileSync(join(dir, 'user.hbs'), 'utf8'),
  };
}

/** The lock hash: exactly what the loader computes (src/load/load-prompts.ts hashPromptTexts). */
const hashPromptVersion = (system: string | null, user: string) => sha256(canonicalJson({ system, user }));

/** Same compile options and helper as the render stage. */
const env = Handlebars.create();
env.registerHelper('json', (value: unknown) => JSON.stringify(value, null, 2));
const OPTIONS = { strict: true, noEscape: true, knownHelpers: { json: true }, knownHelpersOnly: true } as const;

const rows = readFileSync(join(ROOT, 'datasets', 'candidates-golden', 'data.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => DatasetRow.parse(JSON.parse(l)));

describe('prompts/candidate-screening', () => {
  it('has v1, v2 and v3, each listed in prompts.lock.json', () => {
    expect(versions).toEqual(expect.arrayContaining(['v1', 'v2', 'v3']));
    for (const v of ['v1', 'v2', 'v3']) expect(lock[v], `${v} missing from prompts.lock.json`).toMatch(/^[0-9a-f]{64}$/);
  });

  for (const version of versions) {
    describe(version, () => {
      const { system, user } = read(version);

      it('is unchanged since release (hash equals the lock)', () => {
        expect(hashPromptVersion(system, user), 'the loader hashes prompts the same way').toBe(hashPromptTexts(system, user));
        const locked = lock[version];
        if (locked === undefined) return; // an unreleased draft
        expect(
          hashPromptVersion(system, user),
          `prompts/candidate-screening/${version} changed after release: a released prompt is immutable. Undo the edit and create v${versions.length + 1}/ instead (then add it to prompts.lock.json).`,
        ).toBe(locked);
      });

      it('has meta.json with version, date, changes and why', () => {
        const meta = JSON.parse(readFileSync(join(PROMPT_DIR, version, 'meta.json'), 'utf8')) as Record<string, unknown>;
        expect(Object.keys(meta).sort()).toEqual(['changes', 'date', 'version', 'why']);
        expect(meta.version).toBe(version);
        expect(meta.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(String(meta.changes).length).toBeGreaterThan(20);
        expect(String(meta.why).length).toBeGreaterThan(20);
      });

      it('embeds the full profile with {{json candidate}}', () => {
        expect(user).toContain('{{json candidate}}');
      });

      it('compiles strictly and renders every dataset row', () => {
        const tUser = env.compile(user, OPTIONS);
        const tSystem = system === null ? null : env.compile(system, OPTIONS);
        for (const row of rows) {
          const ctx = { candidate: row.candidate, id: row.id };
          const out = tUser(ctx);
          expect(out).toContain(JSON.stringify(row.candidate, null, 2));
          if (tSystem) expect(tSystem(ctx).length).toBeGreaterThan(0);
        }
      });
    });
  }

  it('v2 and v3 state the allowed values and ask for JSON only', () => {
    for (const v of ['v2', 'v3']) {
      const text = read(v).user;
      for (const value of ['Strong Yes', 'Yes', 'Maybe', 'No', 'Strong No', 'Great', 'Good', 'Okay', 'Weak']) expect(text, `${v}: ${value}`).toContain(`"${value}"`);
      expect(text).toMatch(/JSON only/);
    }
  });
});
