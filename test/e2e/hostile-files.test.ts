/**
 * What a careless or hostile file system does to qualbench, through the CLI: a file where a folder
 * belongs, symbolic links planted in a run directory, a read-only run directory, a baseline left with
 * merge-conflict markers, a key written into a launch command. Never exit 70, never a write outside
 * the run, never a whole run sent before a broken baseline is noticed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, cpSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { runCli } from '../helpers/cli.ts';
import { tempProject } from '../helpers/project.ts';
import { tempDir } from '../helpers/tmp.ts';
import { spawnSimulator, type SimProcess } from '../helpers/sim-process.ts';

const GEMMA = 'google/gemma-3-4b-it';
const isRoot = process.getuid?.() === 0;

let sim: SimProcess;
let root: string;
beforeAll(async () => {
  sim = await spawnSimulator(['--speed', 'instant']);
  root = tempProject({ eval: (d) => Object.assign(d, { prompt_versions: ['v2'] }) });
  const r = await runCli(['eval', '--sample', '6', '--model', GEMMA, '--out', 'run', '--store', 'store', '--base-url', sim.baseURL, '--quiet'], { cwd: root });
  expect(r.code, r.stderr).toBe(0);
});
afterAll(async () => sim?.stop());

/** A copy of the finished run to spoil. */
function copyRun(name: string): string {
  cpSync(join(root, 'run'), join(root, name), { recursive: true });
  return name;
}

describe('hostile files', () => {
  it.each([
    ['an existing file', (r: string) => writeFileSync(join(r, 'afile'), 'keep me'), 'afile'],
    ['a device', () => {}, '/dev/null'],
  ])('--out naming %s is refused with exit 2 and nothing touched', async (_what, setup, out) => {
    setup(root);
    const r = await runCli(['eval', '--sample', '2', '--model', GEMMA, '--out', out, '--store', 'store', '--base-url', sim.baseURL], { cwd: root });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/field `--out`: the output path exists and is not a folder/);
    if (out === 'afile') expect(readFileSync(join(root, 'afile'), 'utf8')).toBe('keep me');
  });

  it.each([
    ['report.md', ['rescore']],
    ['report.html', ['report']],
    ['summary.json', ['gate']],
    ['results.jsonl', ['eval', '--resume']],
    ['scores.jsonl', ['baseline', 'update']],
  ])('a symbolic link planted as %s is refused by `%s`, and the file it points at is untouched', async (file, cmd) => {
    const run = copyRun(`linked-${file}`);
    const outside = join(tempDir(), 'precious.txt');
    writeFileSync(outside, 'precious contents\n');
    const target = join(root, run, file);
    cpSync(target, `${target}.bak`);
    // Replace the file with a link to one outside the run.
    writeFileSync(target, '');
    (await import('node:fs')).rmSync(target);
    symlinkSync(outside, target);
    const args = cmd[0] === 'eval' ? [...cmd, run, '--store', 'store', '--base-url', sim.baseURL] : [...cmd, run];
    const r = await runCli(args, { cwd: root });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`the run directory holds symbolic links: .*${file.replace('.', '\\.')}`));
    expect(r.stderr).not.toContain('precious contents');
    expect(readFileSync(outside, 'utf8')).toBe('precious contents\n');
  });

  it.runIf(!isRoot)('a read-only run directory: rescore says what and where, exit 3, no stack', async () => {
    const run = copyRun('readonly');
    chmodSync(join(root, run), 0o555);
    try {
      const r = await runCli(['rescore', run], { cwd: root });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/permission denied \(EACCES\)|read-only \(EROFS\)/);
      expect(r.stderr).not.toMatch(/internal error|    at /);
    } finally {
      chmodSync(join(root, run), 0o755);
    }
  });

  it('a baseline left with merge-conflict markers is refused before eval --ci sends anything', async () => {
    const before = await sim.chatRequests();
    const made = await runCli(['baseline', 'update', 'run', '--out', 'good.json'], { cwd: root });
    expect(made.code, made.stderr).toBe(0);
    const good = readFileSync(join(root, 'good.json'), 'utf8');
    const lines = good.split('\n');
    writeFileSync(join(root, 'conflicted.json'), [...lines.slice(0, 3), '<<<<<<< HEAD', lines[3], '=======', lines[3], '>>>>>>> feature', ...lines.slice(4)].join('\n'));
    const r = await runCli(['eval', '--ci', '--sample', '6', '--model', GEMMA, '--out', 'ci', '--store', 'fresh-store', '--base-url', sim.baseURL, '--baseline', 'conflicted.json'], { cwd: root });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/conflicted\.json:4: the file holds merge-conflict markers/);
    expect(await sim.chatRequests()).toBe(before);
    expect(existsSync(join(root, 'ci'))).toBe(false);
    const gate = await runCli(['gate', 'run', '--baseline', 'conflicted.json'], { cwd: root });
    expect(gate.code).toBe(2);
    expect(gate.stderr).toMatch(/conflicted\.json:4: the file holds merge-conflict markers/);
  });
});

describe('compare', () => {
  it('over two runs with no model in common says so (exit 2) instead of printing nothing', async () => {
    const other = await runCli(['eval', '--sample', '4', '--model', 'meta-llama/Llama-3.2-1B-Instruct', '--out', 'llama', '--store', 'store', '--base-url', sim.baseURL, '--quiet'], { cwd: root });
    expect(other.code, other.stderr).toBe(0);
    const r = await runCli(['compare', 'run', 'llama'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the two runs have no model in common/);
    expect(r.stderr).toMatch(/a has google\/gemma-3-4b-it v2; b has meta-llama\/Llama-3\.2-1B-Instruct v2/);
  });
});

describe('a key written into a launch command', () => {
  it('stays out of the server log and the manifest, with a warning', async () => {
    const project = tempProject({ eval: (d) => Object.assign(d, { prompt_versions: ['v2'] }) });
    const port = 20000 + Math.floor(Math.random() * 20000);
    const key = 'sk-inline-secret-1234567890';
    // The simulator echoes nothing about its key, so the command itself prints it, as vLLM logs its non-default args.
    const command = `echo "args: --api-key ${key}"; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(process.cwd(), 'src/sim/main.ts'))} --port ${port} --speed instant --model ${GEMMA} --api-key ${key}`;
    const models = JSON.parse(readFileSync(join(project, 'evals/models.json'), 'utf8'));
    models.models = [{ ...models.models.find((m: { id: string }) => m.id === GEMMA), base_url: `http://127.0.0.1:${port}/v1`, api_key_env: 'SIM_KEY', launch: { command, ready_timeout_s: 30 } }];
    writeFileSync(join(project, 'evals/models.json'), JSON.stringify(models, null, 2));
    const r = await runCli(['eval', '--sample', '2', '--out', 'run', '--store', 'store'], { cwd: project, env: { SIM_KEY: key } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/the launch command holds an API key or token written in full/);
    for (const f of ['server-1.log', 'manifest.json', 'results.jsonl', 'report.md', 'summary.json']) {
      const text = readFileSync(join(project, 'run', f), 'utf8');
      expect(text, f).not.toContain(key);
    }
    expect(readFileSync(join(project, 'run/server-1.log'), 'utf8')).toContain('[redacted]');
    expect(r.stderr).not.toContain(key);
  });
});

/** Mount a small tmpfs (root only: CI and these machines run as root; elsewhere the test is skipped). */
function canMount(): boolean {
  if (!isRoot) return false;
  const dir = tempDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const MOUNT = canMount();

describe('a disk that says no', () => {
  it.runIf(MOUNT)('read-only: rescore, gate and report say what and where, exit 3, no stack, nothing lost', async () => {
    const dir = tempDir();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir]);
    try {
      cpSync(join(root, 'run'), join(dir, 'run'), { recursive: true });
      const before = readFileSync(join(dir, 'run/results.jsonl'), 'utf8');
      execFileSync('mount', ['-o', 'remount,ro', dir]);
      for (const cmd of [['rescore'], ['gate'], ['report']]) {
        const r = await runCli([...cmd, join(dir, 'run')], { cwd: root });
        expect(r.code, `${cmd}: ${r.stderr}`).toBe(3);
        expect(r.stderr).toMatch(/read-only \(EROFS\)/);
        expect(r.stderr).not.toMatch(/internal error|    at /);
      }
      expect(readFileSync(join(dir, 'run/results.jsonl'), 'utf8')).toBe(before);
    } finally {
      execFileSync('umount', [dir]);
    }
  });

  it.runIf(MOUNT)('full while scoring: rescore exits 3, leaves no half-written scores and keeps the old ones', async () => {
    const dir = tempDir();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir]);
    try {
      cpSync(join(root, 'run'), join(dir, 'run'), { recursive: true });
      const scores = readFileSync(join(dir, 'run/scores.jsonl'), 'utf8');
      // Fill the disk to the last few bytes.
      const { statfsSync } = await import('node:fs');
      const st = statfsSync(dir);
      writeFileSync(join(dir, 'filler'), Buffer.alloc(Math.max(0, st.bavail * st.bsize - 512)));
      const r = await runCli(['rescore', join(dir, 'run')], { cwd: root });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/no space left on the device \(ENOSPC\)/);
      expect(r.stderr).not.toMatch(/internal error|    at /);
      expect(existsSync(join(dir, 'run/scores.jsonl.tmp'))).toBe(false);
      expect(readFileSync(join(dir, 'run/scores.jsonl'), 'utf8')).toBe(scores);
    } finally {
      execFileSync('umount', [dir]);
    }
  });
});
