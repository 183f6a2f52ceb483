/**
 * qualbench as another project uses it: `npm pack` (the prepack build runs), `npm install <tarball>`
 * into a fresh project outside the repository, then the CLI through npx (init, the simulator, eval,
 * baseline update, gate, the demo), the library from plain Node and the matchers from a vitest file.
 * One pack and one install for the whole file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.ts';

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

const PKG = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;

/**
 * The environment of a user's shell: this Node first on PATH (the repo's node@24 devDependency), no
 * repository node_modules/.bin, and none of the npm_* variables of an enclosing `npm test` (its
 * npm_config_local_prefix would make a nested `npm install` install into the repository).
 */
function userEnv(): NodeJS.ProcessEnv {
  const keep = /^npm_config_(registry|userconfig|cache|(https?_|no)?proxy|strict_ssl|cafile)$/i;
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if ((/^npm_/i.test(k) && !keep.test(k)) || k === 'INIT_CWD' || k === 'CI' || k === 'GITHUB_STEP_SUMMARY' || k.startsWith('VITEST') || k === 'NODE_OPTIONS') continue;
    env[k] = v;
  }
  const path = (process.env.PATH ?? '').split(delimiter).filter((p) => p && !p.includes(`node_modules${'/'}.bin`));
  env.PATH = [dirname(process.execPath), ...path].join(delimiter);
  env.npm_config_audit = 'false';
  env.npm_config_fund = 'false';
  env.npm_config_update_notifier = 'false';
  return env;
}

/** Run a command to its end; the timeout only bounds a hung process. */
function run(cmd: string, args: string[], cwd: string, timeoutMs = 120_000): Promise<Ran> {
  const child = spawn(cmd, args, { cwd, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

const npx = (args: string[], cwd: string) => run('npx', ['--no-install', ...args], cwd);
const show = (r: Ran) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

describe('package.json', () => {
  it('points exports, main, types and bin at JavaScript (or declarations), never at .ts sources', () => {
    const targets: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') targets.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk([PKG.exports, PKG.main, PKG.types, PKG.bin]);
    expect(targets.length).toBeGreaterThan(4);
    expect(targets.filter((t) => /\.[cm]?tsx?$/.test(t) && !/\.d\.[cm]?ts$/.test(t))).toEqual([]);
    expect(PKG.scripts).toMatchObject({ prepack: expect.stringContaining('build') });
  });
});

describe('installed from a packed tarball into another project', () => {
  let work: string;
  let project: string;
  let sim: ChildProcess | undefined;
  let baseURL = '';

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'qualbench-package-'));
    expect(relative(REPO_ROOT, work).startsWith('..')).toBe(true);
    const packed = await run('npm', ['pack', '--pack-destination', work], REPO_ROOT, 180_000);
    expect(packed.code, show(packed)).toBe(0);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tarball, show(packed)).toBeDefined();
    project = join(work, 'app');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }, null, 2));
    const installed = await run('npm', ['install', join(work, tarball!)], project, 180_000);
    expect(installed.code, show(installed)).toBe(0);
  }, 400_000);

  afterAll(async () => {
    if (sim?.pid && sim.exitCode === null && sim.signalCode === null) {
      const exited = new Promise((r) => sim!.once('exit', r));
      process.kill(-sim.pid, 'SIGTERM'); // npx and the simulator under it: the group this test started
      const t = setTimeout(() => sim?.pid && process.kill(-sim.pid, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(t);
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('installs the build, not the sources', () => {
    const pkg = join(project, 'node_modules', 'qualbench');
    for (const f of ['dist/cli.js', 'dist/index.js', 'dist/index.d.ts', 'dist/vitest-matchers.js', 'dist/sim/main.js', 'reports/report.md.hbs', 'reports/report.html.hbs', 'tasks/candidate-screening/task.json', 'tasks/candidate-screening/contract.schema.json', 'tasks/ticket-triage/task.json']) {
      expect(existsSync(join(pkg, f)), f).toBe(true);
    }
    expect(existsSync(join(pkg, 'src')), 'src/ is not shipped').toBe(false);
    expect(existsSync(join(pkg, 'test')), 'test/ is not shipped').toBe(false);
  });

  it('npx qualbench --help and --version', async () => {
    const help = await npx(['qualbench', '--help'], project);
    expect(help.code, show(help)).toBe(0);
    expect(help.stdout).toContain(`qualbench ${PKG.version}`);
    expect(help.stdout).toContain('qualbench init');
    const version = await npx(['qualbench', '--version'], project);
    expect(version.stdout.trim(), show(version)).toBe(PKG.version);
  });

  it('npx qualbench init scaffolds a working example, then refuses to overwrite it', async () => {
    const init = await npx(['qualbench', 'init'], project);
    expect(init.code, show(init)).toBe(0);
    for (const f of ['evals/candidate-screening.json', 'evals/models.json', 'prompts/candidate-screening/v1/user.hbs', 'prompts/candidate-screening/v1/meta.json', 'datasets/candidates-example/data.jsonl', 'datasets/candidates-example/manifest.json', 'tasks/candidate-screening/task.json', 'tasks/candidate-screening/contract.schema.json', 'tasks/candidate-screening/item.schema.json']) {
      expect(existsSync(join(project, f)), f).toBe(true);
    }
    // The task is the project's own copy of the shipped one.
    expect(readFileSync(join(project, 'tasks/candidate-screening/contract.schema.json'), 'utf8')).toBe(readFileSync(join(project, 'node_modules/qualbench/tasks/candidate-screening/contract.schema.json'), 'utf8'));
    expect(init.stdout).toContain('npx qualbench sim --port 8000');
    expect(init.stdout).toContain('npx qualbench eval');
    const again = await npx(['qualbench', 'init'], project);
    expect(again.code, show(again)).toBe(2);
    expect(again.stderr).toContain('nothing written');
    expect(again.stderr).toContain('evals/candidate-screening.json');
  });

  it('starts the simulator from the installed package', async () => {
    sim = spawn('npx', ['--no-install', 'qualbench', 'sim', '--port', '0', '--speed', 'instant'], { cwd: project, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let err = '';
    sim.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    baseURL = await new Promise<string>((resolve, reject) => {
      sim!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /qualbench-sim listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(`${m[1]}/v1`);
      });
      sim!.once('exit', (code) => reject(new Error(`the simulator exited (${code}) before listening\n${out}\n${err}`)));
    });
    expect(baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it('npx qualbench eval evaluates the project in the cwd; baseline update; gate', async () => {
    expect(baseURL, 'the simulator test ran').not.toBe('');
    const evaluated = await npx(['qualbench', 'eval', '--out', 'runs/first', '--base-url', baseURL, '--quiet'], project);
    expect(evaluated.code, show(evaluated)).toBe(0);
    const manifest = JSON.parse(readFileSync(join(project, 'runs/first/manifest.json'), 'utf8')) as { eval: { file: string }; task: { name: string; file: string }; dataset: { name: string; rows: number }; qualbench_version: string; requests: number };
    expect(manifest.eval.file).toBe('evals/candidate-screening.json');
    // The project's task folder, not the one in node_modules; its built-in module still loads (follows_instructions is scored).
    expect(manifest.task).toMatchObject({ name: 'candidate-screening', file: 'tasks/candidate-screening/task.json' });
    const summary = JSON.parse(readFileSync(join(project, 'runs/first/summary.json'), 'utf8')) as { groups: Array<{ scorers: Record<string, { scored: number } | undefined> }> };
    expect(summary.groups[0]!.scorers['follows-instructions']?.scored, 'the builtin module scored').toBeGreaterThan(0);
    expect(manifest.dataset).toMatchObject({ name: 'candidates-example', rows: 30 });
    expect(manifest.qualbench_version).toBe(PKG.version);
    const results = readFileSync(join(project, 'runs/first/results.jsonl'), 'utf8').trim().split('\n');
    expect(results).toHaveLength(manifest.requests);
    for (const f of ['report.md', 'report.html', 'summary.json']) expect(existsSync(join(project, 'runs/first', f)), f).toBe(true);

    // The gates compare with a committed baseline; without one their regression rules are unchecked.
    const baseline = await npx(['qualbench', 'baseline', 'update', 'runs/first'], project);
    expect(baseline.code, show(baseline)).toBe(0);
    expect(existsSync(join(project, 'baselines/candidate-screening.json'))).toBe(true);

    // As in CI (README, "In your own repository"): evaluate and gate in one command.
    const ci = await npx(['qualbench', 'eval', '--ci', '--out', 'runs/next', '--base-url', baseURL], project);
    expect(ci.code, show(ci)).toBe(0);
    expect(JSON.parse(ci.stdout.trim().split('\n').pop()!)).toMatchObject({ event: 'gate', passed: true });
    const gate = await npx(['qualbench', 'gate', 'runs/next', '--json'], project);
    expect(gate.code, show(gate)).toBe(0);
    const verdict = JSON.parse(gate.stdout.trim().split('\n').pop()!) as { event: string; passed: boolean; counts: { fail: number } };
    expect(verdict).toMatchObject({ event: 'gate', passed: true, counts: { fail: 0 } });
    expect(existsSync(join(project, 'runs/next/junit.xml'))).toBe(true);
  });

  it('npx qualbench demo runs the bundled example from the installed package, writing under the cwd', async () => {
    const demo = await npx(['qualbench', 'demo', '--sample', '5', '--speed', 'instant', '--out', 'runs/demo', '--quiet'], project);
    expect(demo.code, show(demo)).toBe(0);
    expect(demo.stderr).toContain("qualbench's bundled example");
    const manifest = JSON.parse(readFileSync(join(project, 'runs/demo/manifest.json'), 'utf8')) as { dataset: { name: string }; git_commit: string | null };
    expect(manifest.dataset.name).toBe('candidates-golden');
    expect(manifest.git_commit).toBeNull();
  });

  it('imports the library from plain Node', async () => {
    const script = [
      "import { parseResponse, checkContract, SCORER_IDS } from 'qualbench';",
      "const p = parseResponse('```json\\n{\"a\": 1}\\n```');",
      "console.log(JSON.stringify({ cls: p.class, contract: checkContract('{}').pass, scorers: SCORER_IDS.length }));",
    ].join('\n');
    writeFileSync(join(project, 'use-lib.mjs'), script);
    const r = await run(process.execPath, ['use-lib.mjs'], project);
    expect(r.code, show(r)).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ cls: 'fenced', contract: false, scorers: expect.any(Number) });
  });

  it('registers the qualbench/vitest matchers in a vitest file of that project', async () => {
    // vitest is an optional peer dependency: the project brings its own. Here: the repository's, linked in.
    symlinkSync(join(REPO_ROOT, 'node_modules', 'vitest'), join(project, 'node_modules', 'vitest'), 'dir');
    const answer = { recommendation: 'Yes', reasoning: 'x', analysis: {} };
    writeFileSync(
      join(project, 'answers.test.ts'),
      [
        "import { expect, it } from 'vitest';",
        "import 'qualbench/vitest';",
        "it('checks answers with the qualbench matchers', () => {",
        "  expect('not json').not.toMeetContract();",
        `  expect(${JSON.stringify(JSON.stringify(answer))}).not.toMeetContract();`,
        "  expect(\"I can't make hiring decisions about people.\").not.toFollowInstructions(null);",
        "  expect(() => expect('not json').toMeetContract()).toThrow(/to meet the contract/);",
        '});',
      ].join('\n'),
    );
    const r = await run(process.execPath, [join(project, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'answers.test.ts'], project);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toMatch(/1 passed/);
  });

  it("toMeetContract() judges by the project's own contract (edited after init), and a failure names that file", async () => {
    // As a team would: its copy of the task now requires a field the shipped contract does not have.
    const contractFile = join(project, 'tasks/candidate-screening/contract.schema.json');
    const original = readFileSync(contractFile, 'utf8');
    const contract = JSON.parse(original) as { properties: Record<string, unknown>; required: string[] };
    contract.properties.confidence = { type: 'number', minimum: 0, maximum: 1 };
    contract.required.push('confidence');
    writeFileSync(contractFile, JSON.stringify(contract, null, 2));
    try {
      // Meets the shipped contract in node_modules; lacks `confidence`.
      const dim = (rating: string) => ({ rating, reasoning: 'Ten or more characters of reasoning.' });
      const shippedValid = { recommendation: 'Yes', reasoning: 'Shipped payment systems at two good companies.', analysis: { educational_pedigree: dim('Good'), company_pedigree: dim('Great'), trajectory: dim('Okay'), is_software_engineer: dim('Great') } };
      writeFileSync(
        join(project, 'own-contract.test.ts'),
        [
          "import { expect, it } from 'vitest';",
          "import { checkContract, task } from 'qualbench';",
          "import 'qualbench/vitest';",
          `const answer = ${JSON.stringify(JSON.stringify(shippedValid))};`,
          "it('the project contract, by default', () => {",
          "  expect(task()).toMatchObject({ source: 'project', contractFile: 'tasks/candidate-screening/contract.schema.json' });",
          "  expect(checkContract(answer).pass).toBe(false);",
          "  expect(answer).toMeetContract();",
          '});',
          "it('an answer with the added field meets it', () => {",
          `  expect(${JSON.stringify(JSON.stringify({ ...shippedValid, confidence: 0.7 }))}).toMeetContract();`,
          '});',
        ].join('\n'),
      );
      const r = await run(process.execPath, [join(project, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'own-contract.test.ts'], project);
      expect(r.code, show(r)).toBe(1);
      const out = (r.stdout + r.stderr).replace(/\u001b\[[0-9;]*m/g, ''); // vitest may colour its summary
      expect(out, show(r)).toMatch(/1 failed \| 1 passed/);
      expect(out, show(r)).toContain('to meet the contract (tasks/candidate-screening/contract.schema.json)');
      expect(out, show(r)).toContain("must have required property 'confidence'");
    } finally {
      writeFileSync(contractFile, original);
    }
  });

  it('ships declarations: a TypeScript consumer type-checks against them, matchers included', async () => {
    writeFileSync(
      join(project, 'typed.ts'),
      [
        "import { expect } from 'vitest';",
        "import { parseResponse, task, checkContract, type ParseOutcome, type CandidateProfile, type QualbenchTask } from 'qualbench';",
        "import 'qualbench/vitest';",
        "const parsed: ParseOutcome = parseResponse('{}');",
        'const profile: CandidateProfile | null = null;',
        "expect(parsed.class).toBe('ok');",
        "expect('{}').toMeetContract(undefined, { strict: true });",
        "const own: QualbenchTask = task('candidate-screening');",
        "expect('{}').toMeetContract({ task: own, strict: true });",
        "const file: string = checkContract('{}', { task: 'candidate-screening' }).contractFile;",
        'expect(file).toBe(own.contractFile);',
        "expect('{}').toFollowInstructions(profile);",
      ].join('\n'),
    );
    // skipLibCheck: the project has no @types/node; its own code is checked in full.
    const tsconfig = { compilerOptions: { module: 'nodenext', target: 'es2023', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['typed.ts'] };
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = join(REPO_ROOT, 'node_modules', '.bin', 'tsc');
    const ok = await run(tsc, ['-p', '.'], project);
    expect(ok.code, show(ok)).toBe(0);
    // And a misuse is caught: the declarations carry real types, not `any`.
    writeFileSync(join(project, 'typed.ts'), "import { parseResponse } from 'qualbench';\nconst n: number = parseResponse('{}');\nexport { n };\n");
    const bad = await run(tsc, ['-p', '.'], project);
    expect(bad.code, show(bad)).not.toBe(0);
    expect(bad.stdout).toContain('typed.ts');
  });
});
