/**
 * Speed validity against a real vLLM server, played by the simulator with `--as-vllm` (no /sim/info, no
 * qualbench_sim_* series, no simulated-latency header: qualbench treats it as a real server and times it
 * by the wall clock). A second client using the same server during the eval, a server restarted
 * mid-run, and /metrics read from another replica than the one answering (a load balancer) must make
 * the speed figures INVALID in summary.json and in report.md's first lines; a server this harness alone
 * used must not. No wall-clock assertion: what is checked is what the server's
 * counters say against what the harness sent, whatever this machine's speed.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { spawnSimulator, type SimProcess } from '../helpers/sim-process.ts';
import { runCli, startCli, waitCli } from '../helpers/cli.ts';
import { tempProject } from '../helpers/project.ts';

const GEMMA = 'google/gemma-3-4b-it';
const SIM = ['--speed', '50', '--model', GEMMA, '--as-vllm'];

/** Another client: `workers` loops of short chat requests straight to the server until stopped. */
function otherClient(baseURL: string, workers = 4) {
  let stopped = false;
  let done = 0;
  const one = async () => {
    while (!stopped) {
      try {
        const res = await fetch(`${baseURL}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: GEMMA, messages: [{ role: 'user', content: 'Another team is using this server too. Say hello.' }], max_tokens: 16 }),
        });
        await res.text();
        if (res.ok) done++;
      } catch {
        // The server went away: keep trying until stopped.
      }
    }
  };
  const loops = Array.from({ length: workers }, one);
  return {
    done: () => done,
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { speed_validity: { valid: boolean; reasons: string[] }; groups: Array<{ speed: { server: unknown; simulated: unknown } }> };
const firstLines = (dir: string) => readFileSync(join(dir, 'report.md'), 'utf8').split('\n').slice(0, 12).join('\n');

describe('speed figures from a real server (the simulator --as-vllm)', () => {
  it('looks like vLLM: no /sim/info, no qualbench series in /metrics', async () => {
    const sim = await spawnSimulator(SIM);
    try {
      const origin = sim.baseURL.replace(/\/v1$/, '');
      expect((await fetch(`${origin}/sim/info`)).status).toBe(404);
      const metrics = await sim.metrics();
      expect(metrics).toMatch(/^vllm:prompt_tokens_total/m);
      expect(metrics).not.toMatch(/qualbench/);
    } finally {
      await sim.stop();
    }
  });

  it('valid when the harness is alone on the server; SHARED SERVER when another client uses it meanwhile', async () => {
    const sim = await spawnSimulator(SIM);
    try {
      const root = tempProject({ eval: (d) => Object.assign(d, { prompt_versions: ['v2'] }) });
      const base = ['eval', '--model', GEMMA, '--base-url', sim.baseURL, '--quiet', '--sample', '12', '--concurrency', '4'];

      const alone = await runCli([...base, '--out', 'alone', '--store', 'store1'], { cwd: root });
      expect(alone.code, alone.stderr).toBe(0);
      const a = summaryOf(join(root, 'alone'));
      // On a loaded test machine qualbench's own host may be busy (BUSY CLIENT HOST, rightly): that is not
      // what this test is about; nothing about the server may be doubted.
      const aboutHost = (r: string) => /BUSY CLIENT HOST/.test(r);
      expect(a.speed_validity.reasons.filter((r) => !aboutHost(r))).toEqual([]);
      // The real-server path: counters read, no simulated time.
      expect(a.groups[0]!.speed.simulated).toBeNull();
      expect(a.groups[0]!.speed.server).toMatchObject({ agrees: true });
      if (a.speed_validity.valid) expect(firstLines(join(root, 'alone'))).toMatch(/Speed figures: valid/);
      // The harness's event-loop delay is recorded per segment, with the arrival wait.
      const segment = JSON.parse(readFileSync(join(root, 'alone/timing.jsonl'), 'utf8').split('\n')[0]!);
      expect(segment.event_loop_delay_ms).toEqual({ mean: expect.any(Number), p99: expect.any(Number), max: expect.any(Number), wait: expect.any(Number) });

      const other = otherClient(sim.baseURL);
      try {
        // The other client is under way before the eval reads its first counters.
        while (other.done() < 4) await new Promise((r) => setTimeout(r, 20));
        const shared = await runCli([...base, '--out', 'shared', '--store', 'store2'], { cwd: root });
        expect(shared.code, shared.stderr).toBe(0);
      } finally {
        await other.stop();
      }
      const s = summaryOf(join(root, 'shared'));
      expect(s.speed_validity.valid).toBe(false);
      const server = s.speed_validity.reasons.filter((r) => !aboutHost(r));
      expect(server).toHaveLength(1);
      expect(server[0]).toMatch(/^Gemma 3 4B v2: SHARED SERVER: the server's \/metrics counted [\d,]+ requests finished against 12 sent by this harness.*another client was using the server during the run/);
      const head = firstLines(join(root, 'shared'));
      expect(head).toMatch(/SPEED FIGURES INVALID/);
      expect(head).toMatch(/SHARED SERVER: the server's \/metrics counted/);
    } finally {
      await sim.stop();
    }
  });

  it('records the server\'s own mean latency; an unloaded run is not CLIENT OVERHEAD (or says both means)', async () => {
    // Speed 1: the simulated engine's clock (its e2e latency in /metrics) runs with the wall clock, as a GPU's does.
    const sim = await spawnSimulator(['--speed', '1', '--model', GEMMA, '--as-vllm']);
    try {
      const root = tempProject({ eval: (d) => Object.assign(d, { prompt_versions: ['v2'] }) });
      // 20 answered requests: the fewest the check compares.
      const r = await runCli(['eval', '--model', GEMMA, '--base-url', sim.baseURL, '--quiet', '--sample', '20', '--concurrency', '10', '--out', 'run', '--store', 'store'], { cwd: root });
      expect(r.code, r.stderr).toBe(0);
      const s = JSON.parse(readFileSync(join(root, 'run', 'summary.json'), 'utf8')) as {
        speed_validity: { reasons: string[] };
        groups: Array<{ speed: { succeeded: number; latency_ms: { mean: number }; server: { requests_finished: number; e2e_mean_latency_ms: number } } }>;
      };
      const speed = s.groups[0]!.speed;
      expect(speed.succeeded).toBe(20);
      expect(speed.server.requests_finished).toBe(20);
      expect(speed.server.e2e_mean_latency_ms).toBeGreaterThan(0);
      // The report shows it beside the server counters, so a reader can set it against the harness's latency.
      expect(readFileSync(join(root, 'run', 'report.md'), 'utf8')).toMatch(/server mean e2e [\d,]+ ms/);
      // The harness times each request around the server's own time: on this machine a loaded host may
      // rightly add more than the allowance, and then the reason must name both means.
      const overhead = s.speed_validity.reasons.filter((x) => /CLIENT OVERHEAD/.test(x));
      for (const x of overhead) {
        expect(x).toContain(`mean latency of ${speed.latency_ms.mean.toFixed(0)} ms over 20 answered requests`);
        expect(x).toContain(`the server's own /metrics ${speed.server.e2e_mean_latency_ms.toFixed(0)} ms`);
      }
      if (overhead.length === 0) expect(speed.latency_ms.mean).toBeLessThanOrEqual(1.1 * speed.server.e2e_mean_latency_ms + 25);
    } finally {
      await sim.stop();
    }
  }, 180_000);

  it('non-streamed, with 1.5 s added outside the server to every request (a slow hop in front of it): CLIENT OVERHEAD, INVALID', async () => {
    const sim = await spawnSimulator(['--speed', '1', '--model', GEMMA, '--as-vllm']);
    const origin = sim.baseURL.replace(/\/v1$/, '');
    // Holds each chat request 1.5 s before passing it on; /metrics goes straight through.
    const proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const forward = () => {
          const up = httpRequest(new URL(req.url ?? '/', origin), { method: req.method, headers: req.headers }, (r) => {
            res.writeHead(r.statusCode ?? 502, r.headers);
            r.pipe(res);
          });
          up.on('error', () => res.destroy());
          up.end(Buffer.concat(chunks));
        };
        if (req.url?.includes('/chat/completions')) setTimeout(forward, 1500);
        else forward();
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const root = tempProject({ eval: (d) => Object.assign(d, { prompt_versions: ['v2'], stream: false }) });
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1`;
      const r = await runCli(['eval', '--model', GEMMA, '--base-url', url, '--quiet', '--sample', '20', '--concurrency', '10', '--out', 'slow', '--store', 'store'], { cwd: root });
      expect(r.code, r.stderr).toBe(0);
      const s = summaryOf(join(root, 'slow'));
      expect(s.speed_validity.valid).toBe(false);
      const overhead = s.speed_validity.reasons.filter((x) => /CLIENT OVERHEAD/.test(x));
      expect(overhead).toHaveLength(1);
      expect(overhead[0]).toMatch(/^Gemma 3 4B v2: CLIENT OVERHEAD: qualbench measured a mean latency of [\d]+ ms over 20 answered requests, the server's own \/metrics [\d]+ ms for the same requests: .*spent outside the server/);
      // The 1.5 s are outside the server's own figure, whatever this machine's load.
      const speed = s.groups[0]!.speed as unknown as { latency_ms: { mean: number }; server: { e2e_mean_latency_ms: number } };
      expect(speed.latency_ms.mean - speed.server.e2e_mean_latency_ms).toBeGreaterThanOrEqual(1500);
      expect(firstLines(join(root, 'slow'))).toMatch(/SPEED FIGURES INVALID[\s\S]*CLIENT OVERHEAD/);
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
      await sim.stop();
    }
  }, 180_000);

  it('/metrics from another replica than the one answering (a load balancer): fewer counted, INVALID, saying so', async () => {
    const answering = await spawnSimulator(SIM);
    const other = await spawnSimulator(SIM);
    const origin = (x: SimProcess) => x.baseURL.replace(/\/v1$/, '');
    // A load balancer that sends /metrics to one replica and everything else to another.
    const proxy = createServer((req, res) => {
      const target = new URL(req.url ?? '/', req.url?.startsWith('/metrics') ? origin(other) : origin(answering));
      const up = httpRequest(target, { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const root = tempProject({ eval: (d) => Object.assign(d, { prompt_versions: ['v2'] }) });
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1`;
      const r = await runCli(['eval', '--model', GEMMA, '--base-url', url, '--quiet', '--sample', '6', '--concurrency', '3', '--out', 'lb', '--store', 'store'], { cwd: root });
      expect(r.code, r.stderr).toBe(0);
      const s = summaryOf(join(root, 'lb'));
      expect(s.speed_validity.valid).toBe(false);
      expect(s.speed_validity.reasons.some((x) => /^Gemma 3 4B v2: the server's \/metrics counted fewer than this harness received: 0 requests finished against 6 .*another replica behind a load balancer/.test(x))).toBe(true);
      expect(firstLines(join(root, 'lb'))).toMatch(/SPEED FIGURES INVALID[\s\S]*counted fewer than this harness received/);
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
      await answering.stop();
      await other.stop();
    }
  });

  it('a server restarted mid-run: its counters went backwards, the figures are INVALID', async () => {
    let sim: SimProcess = await spawnSimulator(SIM);
    try {
      const root = tempProject({ eval: (d) => Object.assign(d, { prompt_versions: ['v2'] }) });
      // Traffic before the run: the counters the eval reads first are above anything its 12 requests reach.
      const warm = otherClient(sim.baseURL);
      while (warm.done() < 20) await new Promise((r) => setTimeout(r, 20));
      await warm.stop();

      const out = join(root, 'restarted');
      const child = startCli(['eval', '--model', GEMMA, '--base-url', sim.baseURL, '--quiet', '--sample', '12', '--concurrency', '1', '--out', 'restarted', '--store', 'store', '--max-error-rate', '1'], { cwd: root });
      const finished = waitCli(child, 180_000);
      // Mid-segment (an answer recorded, more to come at one in flight): restart the server on its port.
      const results = join(out, 'results.jsonl');
      while (!(existsSync(results) && readFileSync(results, 'utf8').includes('\n'))) await new Promise((r) => setTimeout(r, 20));
      const port = sim.port;
      await sim.kill();
      sim = await spawnSimulator([...SIM, '--port', String(port)]);
      const r = await finished;
      expect([0, 4], r.stderr).toContain(r.code);
      const s = summaryOf(out);
      expect(s.speed_validity.valid).toBe(false);
      expect(s.speed_validity.reasons.some((x) => /^Gemma 3 4B v2: the server's \/metrics counters went backwards during 1 segment: the server restarted mid-run/.test(x))).toBe(true);
      expect(firstLines(out)).toMatch(/SPEED FIGURES INVALID[\s\S]*the server restarted mid-run/);
    } finally {
      await sim.stop();
    }
  });
});
