/**
 * The simulator's API, through the real openai SDK against a separately spawned process (instant mode):
 * shapes, streaming, errors, auth and determinism.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSimulator, type SimProcess } from '../helpers/sim-process.ts';

const LLAMA = 'meta-llama/Llama-3.2-1B-Instruct';
const GEMMA = 'google/gemma-3-4b-it';
const QWEN = 'Qwen/Qwen3-4B-Instruct-2507';

const PROFILE = {
  name: 'Priya Raman',
  headline: 'Backend engineer',
  location: 'Toronto, Canada',
  education: [{ school: 'University of Waterloo', degree: 'BASc', field: 'Computer Engineering', start_year: 2010, end_year: 2015 }],
  experience: [
    { company: 'Shopify', title: 'Software Engineer', start: '2015-06', end: '2018-12', description: 'Checkout services in Ruby and Go.' },
    { company: 'Stripe', title: 'Senior Software Engineer', start: '2019-01', end: null, description: 'Payments infrastructure.' },
  ],
  skills: ['Go', 'Ruby', 'Kafka', 'PostgreSQL'],
};
const PROMPT = `Evaluate this candidate. Answer in JSON with "recommendation", "reasoning" and "analysis".\n\n${JSON.stringify(PROFILE, null, 2)}`;
const messages = [{ role: 'user' as const, content: PROMPT }];

describe('simulator API (instant)', () => {
  let sim: SimProcess;
  let client: OpenAI;
  beforeAll(async () => {
    sim = await spawnSimulator(['--speed', 'instant', '--max-model-len', '2048']);
    client = new OpenAI({ baseURL: sim.baseURL, apiKey: 'EMPTY', maxRetries: 0 });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('lists the three models as vLLM model cards', async () => {
    const list = await client.models.list();
    const cards = list.data as unknown as Record<string, unknown>[];
    expect(cards.map((c) => c.id)).toEqual([LLAMA, GEMMA, QWEN]);
    for (const c of cards) {
      expect(c).toMatchObject({ object: 'model', owned_by: 'vllm', root: c.id, parent: null, max_model_len: 2048 });
      expect((c.permission as { object: string }[])[0]!.object).toBe('model_permission');
    }
  });

  it('answers /health (200, empty), /version and /metrics with vLLM names', async () => {
    const origin = sim.baseURL.replace(/\/v1$/, '');
    const health = await fetch(`${origin}/health`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('');
    expect(await (await fetch(`${origin}/version`)).json()).toEqual({ version: '0.11.0' });
    const text = await sim.metrics();
    for (const name of ['vllm:num_requests_running', 'vllm:num_requests_waiting', 'vllm:kv_cache_usage_perc', 'vllm:prompt_tokens_total', 'vllm:generation_tokens_total', 'vllm:request_success_total', 'vllm:num_preemptions_total', 'vllm:e2e_request_latency_seconds_bucket', 'vllm:time_to_first_token_seconds_count']) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(/vllm:num_requests_running\{model_name="google\/gemma-3-4b-it",engine="0"\} 0\.0/);
  });

  it('completes a chat (non-streaming) with vLLM usage and counts it', async () => {
    const before = await sim.chatRequests(GEMMA);
    const r = await client.chat.completions.create({ model: GEMMA, messages, temperature: 0, max_tokens: 768 });
    expect(r.object).toBe('chat.completion');
    expect(r.id).toMatch(/^chatcmpl-/);
    expect(r.model).toBe(GEMMA);
    expect(r.choices[0]!.message.role).toBe('assistant');
    expect(r.choices[0]!.message.content).toMatch(/Priya|Stripe|Waterloo/);
    expect(r.choices[0]!.finish_reason).toBe('stop');
    expect(r.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), prompt_tokens_details: null });
    expect(r.usage!.total_tokens).toBe(r.usage!.prompt_tokens + r.usage!.completion_tokens);
    expect(r.usage!.prompt_tokens).toBeGreaterThan(150);
    expect(await sim.chatRequests(GEMMA)).toBe(before + 1);
    const m = await sim.metrics();
    expect(m).toMatch(/qualbench_sim_chat_requests_total\{model_name="google\/gemma-3-4b-it",status="200"\} \d/);
  });

  it('uses the first served model when model is omitted', async () => {
    const r = await fetch(`${sim.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages }) });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { model: string }).model).toBe(LLAMA);
  });

  it('streams role, content deltas, finish_reason, a usage-only chunk and [DONE]', async () => {
    const full = await client.chat.completions.create({ model: QWEN, messages, temperature: 0, max_tokens: 768 });
    const stream = await client.chat.completions.create({ model: QWEN, messages, temperature: 0, max_tokens: 768, stream: true, stream_options: { include_usage: true } });
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === chunks[0]!.id)).toBe(true);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(full.choices[0]!.message.content);
    const last = chunks[chunks.length - 1]!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ completion_tokens: full.usage!.completion_tokens, prompt_tokens: full.usage!.prompt_tokens });
    expect(chunks[chunks.length - 2]!.choices[0]!.finish_reason).toBe('stop');
    expect(chunks.length).toBeGreaterThan(4);

    const raw = await fetch(`${sim.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: QWEN, messages, stream: true }) });
    const body = await raw.text();
    expect(raw.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(body).not.toMatch(/"usage"/); // no stream_options: no usage
  });

  it('cuts the answer at max_tokens with finish_reason length; max_completion_tokens wins', async () => {
    const r = await client.chat.completions.create({ model: GEMMA, messages, max_tokens: 20 });
    expect(r.choices[0]!.finish_reason).toBe('length');
    expect(r.usage!.completion_tokens).toBe(20);
    const full = await client.chat.completions.create({ model: GEMMA, messages, max_tokens: 20 + 0 });
    expect(full.choices[0]!.message.content).toBe(r.choices[0]!.message.content);
    const both = await client.chat.completions.create({ model: GEMMA, messages, max_tokens: 500, max_completion_tokens: 7 });
    expect(both.usage!.completion_tokens).toBe(7);
    expect(both.choices[0]!.finish_reason).toBe('length');
  });

  it('is deterministic: the same request twice gives the same content', async () => {
    for (const model of [LLAMA, GEMMA, QWEN]) {
      const a = await client.chat.completions.create({ model, messages, temperature: 0, max_tokens: 768, seed: 7 });
      const b = await client.chat.completions.create({ model, messages, temperature: 0, max_tokens: 768, seed: 7 });
      expect(b.choices[0]!.message.content).toBe(a.choices[0]!.message.content);
    }
  });

  it('rejects a prompt longer than max_model_len (400, input_tokens) and a too-large max_tokens (400, max_tokens)', async () => {
    const long = [{ role: 'user' as const, content: 'word '.repeat(3000) }];
    const err = await client.chat.completions.create({ model: LLAMA, messages: long }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const e = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/maximum context length is 2048 tokens/);
    expect(e.error).toMatchObject({ type: 'BadRequestError', param: 'input_tokens', code: 400 });

    const big = await client.chat.completions.create({ model: LLAMA, messages, max_tokens: 5000 }).catch((x: unknown) => x);
    expect(big).toBeInstanceOf(OpenAI.BadRequestError);
    expect((big as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ param: 'max_tokens', code: 400 });
    expect((big as Error).message).toMatch(/'max_tokens' or 'max_completion_tokens' is too large: 5000/);
  });

  it('answers 404 for an unknown model with vLLM wording, and counts it by status', async () => {
    const before = await sim.chatRequests('no/such-model');
    const err = await client.chat.completions.create({ model: 'no/such-model', messages }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as InstanceType<typeof OpenAI.NotFoundError>).error).toEqual({ message: 'The model `no/such-model` does not exist.', type: 'NotFoundError', param: 'model', code: 404 });
    expect(await sim.chatRequests('no/such-model')).toBe(before + 1);
    expect(await sim.metrics()).toMatch(/qualbench_sim_chat_requests_total\{model_name="no\/such-model",status="404"\} 1\.0/);
  });

  it('answers pydantic-style 400s for malformed requests and ignores unknown fields', async () => {
    const post = (body: unknown) => fetch(`${sim.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const missing = await post({ model: LLAMA });
    expect(missing.status).toBe(400);
    const mb = (await missing.json()) as { error: { message: string; type: string; param: string; code: number } };
    expect(mb.error).toMatchObject({ type: 'Bad Request', param: null, code: 400 });
    expect(mb.error.message).toMatch(/^1 validation error:\n {2}\{'type': 'missing', 'loc': \('body', 'messages'\), 'msg': 'Field required'/);
    const notList = await post({ model: LLAMA, messages: 'hello' });
    expect(notList.status).toBe(400);
    expect(((await notList.json()) as { error: { message: string } }).error.message).toMatch(/Input should be a valid list/);
    const extra = await post({ model: LLAMA, messages, some_unknown_field: 1, guided_json: { type: 'object' } });
    expect(extra.status).toBe(200);
  });
});

describe('simulator API with --api-key', () => {
  let sim: SimProcess;
  beforeAll(async () => {
    sim = await spawnSimulator(['--speed', 'instant', '--api-key', 'sekret', '--model', GEMMA]);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('answers 401 {"error":"Unauthorized"} on /v1 paths without the key, and leaves /health open', async () => {
    const origin = sim.baseURL.replace(/\/v1$/, '');
    const models = await fetch(`${sim.baseURL}/models`);
    expect(models.status).toBe(401);
    expect(await models.json()).toEqual({ error: 'Unauthorized' });
    const wrong = new OpenAI({ baseURL: sim.baseURL, apiKey: 'nope', maxRetries: 0 });
    await expect(wrong.chat.completions.create({ model: GEMMA, messages })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    expect((await fetch(`${origin}/health`)).status).toBe(200);
    expect((await fetch(`${origin}/metrics`)).status).toBe(200);
    const ok = new OpenAI({ baseURL: sim.baseURL, apiKey: 'sekret', maxRetries: 0 });
    expect((await ok.models.list()).data.map((m) => m.id)).toEqual([GEMMA]);
    const r = await ok.chat.completions.create({ model: GEMMA, messages });
    expect(r.choices[0]!.message.content).toBeTruthy();
    expect(await sim.metrics()).toMatch(/qualbench_sim_chat_requests_total\{model_name="google\/gemma-3-4b-it",status="401"\} 1\.0/);
  });
});
