/**
 * Verdicts you can trust, end to end against separate server processes: answers are never served for
 * another server, a run where nothing worked fails with its cause, a killed run is refused by gate
 * and baseline update with the count missing, --retry-errors re-sends only the failed items, a server
 * that cannot stream is asked without streaming, and what the probe says will fail is refused first.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { spawnSimulator } from '../helpers/sim-process.ts';
import { runCli, startCli, waitCli } from '../helpers/cli.ts';
import { tempProject } from '../helpers/project.ts';
import { waitFor } from '../helpers/wait.ts';

const GEMMA = 'google/gemma-3-4b-it';

const jsonl = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown> & { item_id: string; error: { kind: string } | null; server?: string; source: string; stream_fallback?: boolean });

/** One prompt version, a few items, streaming as the shipped eval does. */
const project = (edit?: (d: Record<string, unknown>) => void) =>
  tempProject({
    eval: (d) => {
      Object.assign(d, { prompt_versions: ['v2'] });
      edit?.(d);
    },
  });

describe('provenance', () => {
  it('never answers from the store for another server with the same model id, and says where answers came from', async () => {
    const root = project();
    const a = await spawnSimulator(['--speed', 'instant']);
    const b = await spawnSimulator(['--speed', 'instant', '--seed', '5']);
    try {
      const args = ['eval', '--sample', '8', '--model', GEMMA, '--store', 'store', '--quiet'];
      const first = await runCli([...args, '--out', 'a1', '--base-url', a.baseURL], { cwd: root });
      expect(first.code, first.stderr).toBe(0);
      // Same server again: everything from the store.
      const again = await runCli([...args, '--out', 'a2', '--base-url', a.baseURL], { cwd: root });
      expect(again.code, again.stderr).toBe(0);
      expect(await a.chatRequests()).toBe(8);
      // Another server serving the same model id: nothing may come from the first one's answers.
      const other = await runCli([...args, '--out', 'b1', '--base-url', b.baseURL], { cwd: root });
      expect(other.code, other.stderr).toBe(0);
      expect(await b.chatRequests()).toBe(8);
      expect(await a.chatRequests()).toBe(8);

      const resultsA = jsonl(join(root, 'a2/results.jsonl'));
      const resultsB = jsonl(join(root, 'b1/results.jsonl'));
      expect(resultsA.every((r) => r.source === 'cached')).toBe(true);
      expect(resultsB.every((r) => r.source === 'sent')).toBe(true);
      const serverA = resultsA[0]!.server;
      expect(serverA).toMatch(/^[0-9a-f]{16}$/);
      expect(resultsB[0]!.server).not.toBe(serverA);

      const summary = JSON.parse(readFileSync(join(root, 'a2/summary.json'), 'utf8'));
      expect(summary.trust.complete).toBe(true);
      expect(summary.trust.groups[0].sources).toEqual([{ how: 'cached', server: serverA, label: expect.stringContaining(`127.0.0.1:${a.port}`), count: 8 }]);
      const report = readFileSync(join(root, 'a2/report.md'), 'utf8');
      expect(report).toContain('Where the answers came from');
      expect(report).toContain(`127.0.0.1:${a.port}`);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('a run resumed against a different server says its answers come from two servers', async () => {
    const root = project();
    const slow = await spawnSimulator(['--speed', '5']);
    const other = await spawnSimulator(['--speed', 'instant', '--seed', '3']);
    try {
      const child = startCli(['eval', '--sample', '12', '--model', GEMMA, '--out', 'run', '--store', 'store', '--base-url', slow.baseURL, '--concurrency', '2', '--quiet'], { cwd: root });
      const done = waitCli(child);
      const results = join(root, 'run/results.jsonl');
      await waitFor(() => existsSync(results) && jsonl(results).length >= 2);
      child.kill('SIGKILL');
      await done;
      const r = await runCli(['eval', '--resume', 'run', '--store', 'store', '--base-url', other.baseURL, '--quiet'], { cwd: root });
      expect(r.code, r.stderr).toBe(0);
      const summary = JSON.parse(readFileSync(join(root, 'run/summary.json'), 'utf8'));
      expect(summary.trust.complete).toBe(true);
      expect(summary.trust.warnings.join('\n')).toMatch(/MIXED SOURCES: .*answers come from 2 servers/);
      const manifest = JSON.parse(readFileSync(join(root, 'run/manifest.json'), 'utf8'));
      expect(manifest.models[0].previous_servers).toHaveLength(1);
      const report = readFileSync(join(root, 'run/report.md'), 'utf8');
      expect(report.split('\n').slice(0, 12).join('\n')).toMatch(/MIXED SOURCES/);
    } finally {
      await slow.stop();
      await other.stop();
    }
  });
});

/** A server that looks like a real vLLM: it forwards to a simulator but hides the simulator's /sim/info. */
async function vllmLookalike(upstream: string): Promise<{ baseURL: string; close: () => void }> {
  const server: Server = createServer(async (req, res) => {
    if (req.url?.startsWith('/sim/')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return void res.end('{"detail":"Not Found"}');
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const up = await fetch(upstream.replace(/\/v1$/, '') + req.url, { method: req.method, headers: { 'content-type': 'application/json' }, ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}) });
    res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await up.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { baseURL: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`, close: () => server.close() };
}

describe('a simulator run, then a real vLLM with the same model id', () => {
  it('nothing comes from the simulator\'s answers, and a baseline made on the simulator is refused for the real server', async () => {
    const root = project((d) => Object.assign(d, { stream: false }));
    const sim = await spawnSimulator(['--speed', 'instant']);
    const behind = await spawnSimulator(['--speed', 'instant']);
    const real = await vllmLookalike(behind.baseURL);
    try {
      const args = ['eval', '--sample', '6', '--model', GEMMA, '--store', 'store', '--quiet'];
      expect((await runCli([...args, '--out', 'demo', '--base-url', sim.baseURL], { cwd: root })).code).toBe(0);
      const r = await runCli([...args, '--out', 'real', '--base-url', real.baseURL], { cwd: root });
      expect(r.code, r.stderr).toBe(0);
      expect(await behind.chatRequests()).toBe(6); // every answer asked of the "real" server
      const summary = JSON.parse(readFileSync(join(root, 'real/summary.json'), 'utf8'));
      expect(summary.trust.groups[0].sources).toEqual([expect.objectContaining({ how: 'sent', count: 6, label: expect.stringMatching(/^vLLM 0\.11\.0 at 127\.0\.0\.1:/) })]);
      expect((await runCli(['baseline', 'update', 'demo', '--out', 'sim-baseline.json'], { cwd: root })).code).toBe(0);
      const gate = await runCli(['gate', 'real', '--baseline', 'sim-baseline.json'], { cwd: root });
      expect(gate.code).toBe(2);
      expect(gate.stderr).toMatch(/the baseline's answers came from qualbench-sim, this run's from vLLM 0\.11\.0/);
    } finally {
      real.close();
      await sim.stop();
      await behind.stop();
    }
  });
});

describe('runs where nothing worked', () => {
  it('exits 4 with the cause when every request fails, and --retry-errors re-sends only the failed items', async () => {
    const root = project();
    // Half the requests fail with 500 and are not retried: the run fails with its cause.
    let sim = await spawnSimulator(['--speed', 'instant', '--faults', '500:0.5', '--seed', '11']);
    const port = sim.port;
    try {
      const r = await runCli(['eval', '--sample', '20', '--model', GEMMA, '--out', 'run', '--store', 'store', '--base-url', sim.baseURL, '--max-attempts', '1', '--quiet'], { cwd: root });
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(/RUN FAILED \(exit 4\)/);
      expect(r.stderr).toMatch(/server 500/);
      expect(r.stderr).toMatch(/--retry-errors/);
      const failed = jsonl(join(root, 'run/results.jsonl')).filter((x) => x.error !== null);
      expect(failed.length).toBeGreaterThan(2);
      const report = readFileSync(join(root, 'run/report.md'), 'utf8');
      expect(report.split('\n').slice(0, 12).join('\n')).toMatch(/INCOMPLETE: \d+ of 20 answered \(0 missing, \d+ failed\)/);
      const gate = await runCli(['gate', 'run'], { cwd: root });
      expect(gate.code).toBe(4);
      expect(gate.stderr).toMatch(/failed/);

      // The same server, healthy again: only the failed items are sent.
      await sim.stop();
      sim = await spawnSimulator(['--speed', 'instant', '--seed', '11', '--port', String(port)]);
      const retry = await runCli(['eval', '--resume', 'run', '--retry-errors', '--store', 'store', '--base-url', sim.baseURL, '--quiet'], { cwd: root });
      expect(retry.code, retry.stderr).toBe(0);
      expect(await sim.chatRequests()).toBe(failed.length);
      const after = jsonl(join(root, 'run/results.jsonl'));
      expect(after).toHaveLength(20);
      expect(new Set(after.map((x) => x.item_id)).size).toBe(20);
      expect(after.every((x) => x.error === null)).toBe(true);
      expect(jsonl(join(root, 'run/retried-errors.jsonl')).map((x) => x.item_id).sort()).toEqual(failed.map((x) => x.item_id).sort());
      const summary = JSON.parse(readFileSync(join(root, 'run/summary.json'), 'utf8'));
      expect(summary.trust).toMatchObject({ complete: true, expected: 20, recorded: 20, errored: 0, missing: 0 });
    } finally {
      await sim.stop();
    }
  });

  it('a server that answers every request with 500 fails the run, even with --json', async () => {
    const root = project();
    const sim = await spawnSimulator(['--speed', 'instant', '--faults', '500:1']);
    try {
      const r = await runCli(['eval', '--sample', '6', '--model', GEMMA, '--out', 'run', '--store', 'store', '--base-url', sim.baseURL, '--max-attempts', '2', '--json'], { cwd: root });
      expect(r.code, r.stderr).toBe(4);
      const event = JSON.parse(r.stdout.trim().split('\n').pop()!);
      expect(event).toMatchObject({ event: 'eval-failed', complete: false, errored: 6 });
      expect(event.failed_groups[0]).toMatchObject({ model: GEMMA, prompt_version: 'v2', errored: 6, expected: 6 });
      expect(event.failed_groups[0].first_error).toMatch(/^server 500/);
    } finally {
      await sim.stop();
    }
  });

  it('refuses before sending anything when max_tokens leaves no room in the server context', async () => {
    const root = project((d) => Object.assign(d, { sampling: { temperature: 0, max_tokens: 768 } }));
    const sim = await spawnSimulator(['--speed', 'instant', '--max-model-len', '512']);
    try {
      const r = await runCli(['eval', '--sample', '4', '--model', GEMMA, '--out', 'run', '--store', 'store', '--base-url', sim.baseURL], { cwd: root });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/candidate-screening\.json: field `sampling\.max_tokens`: max_tokens 768 is not below the context length .*max_model_len 512/);
      expect(await sim.chatRequests()).toBe(0);
    } finally {
      await sim.stop();
    }
  });

  it('falls back to plain requests when the server cannot stream, and says so', async () => {
    const root = project((d) => Object.assign(d, { stream: true }));
    const sim = await spawnSimulator(['--speed', 'instant']);
    // A proxy in front of the simulator that ignores `stream` and answers one JSON body, as some gateways do.
    const proxy: Server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      let body = Buffer.concat(chunks).toString();
      if (req.method === 'POST' && body) {
        const j = JSON.parse(body) as Record<string, unknown>;
        delete j.stream;
        delete j.stream_options;
        body = JSON.stringify(j);
      }
      const upstream = await fetch(sim.baseURL.replace(/\/v1$/, '') + req.url, { method: req.method, headers: { 'content-type': 'application/json' }, ...(req.method === 'POST' ? { body } : {}) });
      const text = await upstream.text();
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(text);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const port = (proxy.address() as { port: number }).port;
    try {
      const r = await runCli(['eval', '--sample', '6', '--model', GEMMA, '--out', 'run', '--store', 'store', '--base-url', `http://127.0.0.1:${port}/v1`, '--concurrency', '1'], { cwd: root });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/not an event stream; asking without streaming from now on/);
      const results = jsonl(join(root, 'run/results.jsonl'));
      expect(results).toHaveLength(6);
      expect(results.every((x) => x.error === null && x.stream_fallback === true)).toBe(true);
    } finally {
      proxy.close();
      await sim.stop();
    }
  });
});

describe('complete data or no verdict', () => {
  it('a killed then re-scored run is refused by gate and baseline update with the count missing', async () => {
    const root = project();
    const sim = await spawnSimulator(['--speed', '5']);
    try {
      const child = startCli(['eval', '--sample', '30', '--model', GEMMA, '--out', 'run', '--store', 'store', '--base-url', sim.baseURL, '--concurrency', '2', '--quiet'], { cwd: root });
      const done = waitCli(child);
      const results = join(root, 'run/results.jsonl');
      await waitFor(() => existsSync(results) && jsonl(results).length >= 3);
      child.kill('SIGKILL');
      await done;
      const recorded = jsonl(results).length;
      expect(recorded).toBeLessThan(30);

      const rescore = await runCli(['rescore', 'run'], { cwd: root });
      expect(rescore.code, rescore.stderr).toBe(0);
      expect(rescore.stdout.split('\n')[0]).toBe(`INCOMPLETE: ${recorded} of 30 answered (${30 - recorded} missing, 0 failed): the scores cover only what was recorded; gate and baseline update will refuse it without --allow-partial.`);
      const report = readFileSync(join(root, 'run/report.md'), 'utf8');
      expect(report.split('\n')[2]).toBe(`**INCOMPLETE: ${recorded} of 30 answered (${30 - recorded} missing, 0 failed)**`);

      const gate = await runCli(['gate', 'run'], { cwd: root });
      expect(gate.code).toBe(4);
      expect(gate.stderr).toContain(`gate: refusing to judge an incomplete run: incomplete: ${recorded} of 30 answered (${30 - recorded} missing, 0 failed)`);
      expect(gate.stderr).toMatch(/Finish it: node \S*src\/cli\.ts eval --resume run/);
      const baseline = await runCli(['baseline', 'update', 'run', '--out', 'bl.json'], { cwd: root });
      expect(baseline.code).toBe(4);
      expect(baseline.stderr).toContain(`${30 - recorded} missing`);
      expect(existsSync(join(root, 'bl.json'))).toBe(false);

      // Told that partial data is fine: judged, and labelled so in the first lines.
      const partial = await runCli(['gate', 'run', '--allow-partial'], { cwd: root });
      expect([0, 1]).toContain(partial.code);
      expect(partial.stdout.split('\n').slice(0, 5).join('\n')).toMatch(/PARTIAL DATA \(--allow-partial\): incomplete/);
      expect(JSON.parse(readFileSync(join(root, 'run/gate.json'), 'utf8')).partial).toMatch(/^incomplete/);

      const compare = await runCli(['compare', 'run', 'run'], { cwd: root });
      expect(compare.stdout.split('\n')[0]).toMatch(/^INCOMPLETE RUN a/);
    } finally {
      await sim.stop();
    }
  });
});
