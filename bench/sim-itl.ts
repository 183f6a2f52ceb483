/**
 * Inter-token latency as a client sees it streaming from the simulator: starts `src/sim/main.ts`
 * (`--speed auto` unless told), streams `--requests` answers at `--concurrency` for each model, and
 * prints the chunk gaps in simulated ms (real gap × the model's clock speed) beside the chunk and token
 * counts. One chunk per token and gaps near the engine's decode step (stepBaseS + perSeqS × running,
 * src/sim/models.ts) mean ITL measures the engine, not the timer (docs/simulator.md, API behaviours).
 *
 * Usage: node bench/sim-itl.ts [--speed auto] [--concurrency 16] [--requests 48] [--model ID ...]
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    speed: { type: 'string', default: 'auto' },
    concurrency: { type: 'string', default: '16' },
    requests: { type: 'string', default: '48' },
    model: { type: 'string', multiple: true, default: ['meta-llama/Llama-3.2-1B-Instruct', 'Qwen/Qwen3-4B-Instruct-2507'] },
  },
});

const sim = spawn(process.execPath, [join(REPO, 'src/sim/main.ts'), '--port', '0', '--speed', values.speed!], { stdio: ['ignore', 'pipe', 'inherit'] });
const origin = await new Promise<string>((ok, fail) => {
  let out = '';
  sim.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) ok(m[1]!);
  });
  sim.once('exit', () => fail(new Error('the simulator exited before listening')));
});

const prompt = (i: number) =>
  `Evaluate this candidate. Answer in JSON with "recommendation", "reasoning" and "analysis".\n\n${JSON.stringify({ name: `Candidate ${i}`, experience: [{ company: 'Stripe', title: 'Senior Software Engineer', start: '2019-01', end: null }], skills: ['Go'] })}`;

async function stream(model: string, i: number, gaps: number[], speed: number): Promise<{ chunks: number; tokens: number }> {
  const r = await fetch(`${origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: prompt(i) }], stream: true, stream_options: { include_usage: true }, max_tokens: 200 }),
  });
  const decoder = new TextDecoder();
  let buf = '';
  let last: number | null = null;
  let chunks = -1; // the first chunk carries the role only
  let tokens = 0;
  for await (const part of r.body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(part, { stream: true });
    for (let k = buf.indexOf('\n\n'); k >= 0; k = buf.indexOf('\n\n')) {
      const event = buf.slice(0, k);
      buf = buf.slice(k + 2);
      if (!event.startsWith('data: {')) continue;
      const j = JSON.parse(event.slice(6)) as { choices: unknown[]; usage?: { completion_tokens: number } };
      if (j.choices.length === 0) {
        tokens = j.usage?.completion_tokens ?? 0;
        continue;
      }
      const t = performance.now();
      if (chunks >= 1 && last !== null) gaps.push((t - last) * speed);
      if (chunks >= 0) last = t;
      chunks++;
    }
  }
  return { chunks, tokens };
}

try {
  const info = (await (await fetch(`${origin}/sim/info`)).json()) as { models: Record<string, { speed: number | 'instant' }> };
  for (const model of values.model!) {
    const speed = info.models[model]?.speed;
    if (typeof speed !== 'number') throw new Error(`${model}: not served with a clock (speed ${String(speed)})`);
    const gaps: number[] = [];
    let chunks = 0;
    let tokens = 0;
    let next = 0;
    const total = Number(values.requests);
    await Promise.all(
      Array.from({ length: Number(values.concurrency) }, async () => {
        while (next < total) {
          const r = await stream(model, next++, gaps, speed);
          chunks += r.chunks;
          tokens += r.tokens;
        }
      }),
    );
    gaps.sort((a, b) => a - b);
    const q = (p: number) => Number(gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))]!.toFixed(2));
    const mean = Number((gaps.reduce((a, b) => a + b, 0) / gaps.length).toFixed(2));
    console.log(JSON.stringify({ model, speed, concurrency: Number(values.concurrency), requests: total, chunks, tokens, itl_simulated_ms: { p10: q(0.1), p50: q(0.5), p90: q(0.9), p99: q(0.99), mean } }));
  }
} finally {
  sim.kill('SIGKILL');
}
