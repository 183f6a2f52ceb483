/**
 * The simulator's API contract against vLLM (issue 15 items 5-7), over HTTP against spawned
 * simulator processes: the 400s vLLM answers (its pydantic request model, its SamplingParams checks,
 * its content-type check) with vLLM's error shape and wording; structured outputs `choice` and
 * `regex` honoured; the `--vllm-version` switch (guided_*, reasoning_content vs reasoning,
 * reasoning_effort); the Qwen personas per model card; one streamed chunk per token.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSimulator, type SimProcess } from '../helpers/sim-process.ts';

const LLAMA = 'meta-llama/Llama-3.2-1B-Instruct';
const QWEN_INSTRUCT = 'Qwen/Qwen3-4B-Instruct-2507';
const QWEN_THINKING = 'Qwen/Qwen3-4B';
const RECS = ['Strong Yes', 'Yes', 'Maybe', 'No', 'Strong No'];

const PROFILE = {
  name: 'Priya Raman',
  headline: 'Backend engineer',
  education: [{ school: 'University of Waterloo', degree: 'BASc', field: 'Computer Engineering', start_year: 2010, end_year: 2015 }],
  experience: [
    { company: 'Shopify', title: 'Software Engineer', start: '2015-06', end: '2018-12', description: 'Checkout services in Ruby and Go.' },
    { company: 'Stripe', title: 'Senior Software Engineer', start: '2019-01', end: null, description: 'Payments infrastructure.' },
  ],
  skills: ['Go', 'Ruby', 'Kafka', 'PostgreSQL'],
};
const profileFor = (i: number) => ({ ...PROFILE, name: `Candidate ${i} ${['Raman', 'Okafor', 'Lindqvist', 'Tanaka'][i % 4]}` });
const prompt = (i: number) => `Evaluate this candidate. Answer in JSON with "recommendation", "reasoning" and "analysis". JSON only.\n\n${JSON.stringify(profileFor(i), null, 2)}`;
const messages = [{ role: 'user', content: prompt(0) }];

type ErrorBody = { error: { message: string; type: string; param: string | null; code: number } };

async function post(sim: SimProcess, body: unknown, contentType = 'application/json'): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(`${sim.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

const content = (j: Record<string, unknown>) => (j as { choices: { message: { content: string | null } }[] }).choices[0]!.message.content;
const message = (j: Record<string, unknown>) => (j as { choices: { message: Record<string, unknown> }[] }).choices[0]!.message;

describe('simulator contract, vLLM 0.11 (default)', () => {
  let sim: SimProcess;
  beforeAll(async () => {
    sim = await spawnSimulator(['--speed', 'instant', '--model', LLAMA, '--model', QWEN_INSTRUCT, '--model', QWEN_THINKING]);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  // [what, body (merged over a valid request), error type, message]
  const SAMPLING: [string, Record<string, unknown>, RegExp][] = [
    ['top_p 5', { top_p: 5 }, /^top_p must be in \(0, 1\], got 5\.0\.$/],
    ['top_p 0', { top_p: 0 }, /^top_p must be in \(0, 1\], got 0\.0\.$/],
    ['temperature -1', { temperature: -1 }, /^temperature must be non-negative, got -1\.0\.$/],
    ['n 0', { n: 0 }, /^n must be at least 1, got 0\.$/],
    ['max_tokens 0', { max_tokens: 0 }, /^max_tokens must be at least 1, got 0\.$/],
    ['max_completion_tokens -3', { max_completion_tokens: -3 }, /^max_tokens must be at least 1, got -3\.$/],
    ['presence_penalty 3', { presence_penalty: 3 }, /^presence_penalty must be in \[-2, 2\], got 3\.0\.$/],
    ['frequency_penalty -2.5', { frequency_penalty: -2.5 }, /^frequency_penalty must be in \[-2, 2\], got -2\.5\.$/],
    ['repetition_penalty 0', { repetition_penalty: 0 }, /^repetition_penalty must be greater than zero, got 0\.0\.$/],
    ['top_k -2', { top_k: -2 }, /^top_k must be 0 \(disable\), or at least 1, got -2\.$/],
    ['min_p 1.5', { min_p: 1.5 }, /^min_p must be in \[0, 1\], got 1\.5\.$/],
    ['min_tokens above max_tokens', { min_tokens: 50, max_tokens: 10 }, /^min_tokens must be less than or equal to max_tokens=10, got 50\.$/],
    ['an empty stop string', { stop: ['', 'x'] }, /^stop cannot contain an empty string\.$/],
    ['top_logprobs 25', { logprobs: true, top_logprobs: 25 }, /^Requested sample logprobs of 25, which is greater than max allowed: 20$/],
    ['tools (auto) on a server without a tool parser', { tools: [{ type: 'function', function: { name: 'lookup' } }] }, /^"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set$/],
  ];
  it.each(SAMPLING)('answers 400 BadRequestError for %s, with vLLM\'s wording', async (_what, extra, msg) => {
    const r = await post(sim, { model: LLAMA, messages, ...extra });
    expect(r.status).toBe(400);
    const e = (r.json as ErrorBody).error;
    expect(e).toMatchObject({ type: 'BadRequestError', code: 400 });
    expect(e.message).toMatch(msg);
  });

  const VALIDATOR: [string, Record<string, unknown>, string][] = [
    ['stream_options without stream', { stream_options: { include_usage: true } }, 'Stream options can only be defined when `stream=True`.'],
    ['stream_options with stream false', { stream: false, stream_options: { include_usage: true } }, 'Stream options can only be defined when `stream=True`.'],
    ['top_logprobs without logprobs', { top_logprobs: 2 }, 'when using `top_logprobs`, `logprobs` must be set to true.'],
    ['a negative top_logprobs', { logprobs: true, top_logprobs: -3 }, '`top_logprobs` must be a positive value or -1.'],
    ['tool_choice without tools', { tool_choice: 'auto' }, 'When using `tool_choice`, `tools` must be set.'],
    ['two structured-output kinds', { structured_outputs: { choice: ['a'], regex: 'a' } }, "You can only use one kind of constraints for structured outputs ('json', 'regex' or 'choice')."],
    ['continue_final_message with add_generation_prompt', { continue_final_message: true, add_generation_prompt: true }, 'Cannot set both `continue_final_message` and `add_generation_prompt` to True.'],
    ['an empty cache_salt', { cache_salt: '' }, "Parameter 'cache_salt' must be a non-empty string if provided."],
  ];
  it.each(VALIDATOR)('answers a 400 validation error for %s (a model validator, alone)', async (_what, extra, msg) => {
    const r = await post(sim, { model: LLAMA, messages, ...extra });
    expect(r.status).toBe(400);
    const e = (r.json as ErrorBody).error;
    expect(e).toMatchObject({ type: 'Bad Request', code: 400, param: null });
    expect(e.message.startsWith("1 validation error:\n  {'type': 'value_error', 'loc': ('body',), 'msg': ")).toBe(true);
    expect(e.message).toContain(`Value error, ${msg}`);
  });

  const SCHEMA: [string, Record<string, unknown>, RegExp][] = [
    ['json_schema without name', { response_format: { type: 'json_schema', json_schema: { schema: { type: 'object' } } } }, /'type': 'missing', 'loc': \('body', 'response_format', 'ResponseFormat', 'json_schema', 'name'\), 'msg': 'Field required'/],
    ['an unknown response_format type', { response_format: { type: 'yaml' } }, /'type': 'literal_error', 'loc': \('body', 'response_format', 'ResponseFormat', 'type'\), 'msg': "Input should be 'text', 'json_object' or 'json_schema'"/],
    ['response_format a string', { response_format: 'json' }, /'type': 'model_type', 'loc': \('body', 'response_format', 'ResponseFormat'\), 'msg': 'Input should be a valid dictionary or instance of ResponseFormat'/],
    ['messages missing', { messages: undefined }, /^1 validation error:\n {2}\{'type': 'missing', 'loc': \('body', 'messages'\), 'msg': 'Field required'/],
    ['stream "maybe"', { stream: 'maybe' }, /'type': 'bool_parsing', 'loc': \('body', 'stream'\), 'msg': 'Input should be a valid boolean, unable to interpret input'/],
    ['temperature "hot"', { temperature: 'hot' }, /'type': 'float_parsing', 'loc': \('body', 'temperature'\)/],
    ['max_tokens 1.5', { max_tokens: 1.5 }, /'type': 'int_from_float', 'loc': \('body', 'max_tokens'\)/],
    ['a seed beyond int64', { seed: 2 ** 70 }, /'loc': \('body', 'seed'\), 'msg': 'Input should be less than or equal to 9223372036854775807'/],
    ['stop a number', { stop: 5 }, /'loc': \('body', 'stop', 'str'\).*\n.*'loc': \('body', 'stop', 'list\[str\]'\)/],
    ['structured_outputs.choice not a list', { structured_outputs: { choice: 'yes' } }, /'type': 'list_type', 'loc': \('body', 'structured_outputs', 'choice'\)/],
    ['reasoning_effort none (0.11 and 0.12 accept low, medium, high)', { reasoning_effort: 'none' }, /'type': 'literal_error', 'loc': \('body', 'reasoning_effort'\), 'msg': "Input should be 'low', 'medium' or 'high'"/],
    ['two field errors at once, in the fields\' order', { top_p: 'y', temperature: 'x', model: 5 }, /^3 validation errors:\n.*'model'.*\n.*'temperature'.*\n.*'top_p'/],
    ['a seed below int64', { seed: -(2 ** 70) }, /'type': 'greater_than_equal', 'loc': \('body', 'seed'\), 'msg': 'Input should be greater than or equal to -9223372036854775808'/],
  ];
  it.each(SCHEMA)('answers a pydantic 400 for %s', async (_what, extra, msg) => {
    const r = await post(sim, { model: LLAMA, messages, ...extra });
    expect(r.status).toBe(400);
    const e = (r.json as ErrorBody).error;
    expect(e).toMatchObject({ type: 'Bad Request', code: 400 });
    expect(e.message).toMatch(msg);
  });

  it('answers 400 for a text/plain body and for a body that is not JSON', async () => {
    const plain = await post(sim, { model: LLAMA, messages }, 'text/plain');
    expect(plain.status).toBe(400);
    expect((plain.json as ErrorBody).error).toEqual({ message: "1 validation error:\n  Unsupported Media Type: Only 'application/json' is allowed", type: 'Bad Request', param: null, code: 400 });
    const broken = await post(sim, '{"model": "x", "messages": [');
    expect(broken.status).toBe(400);
    expect((broken.json as ErrorBody).error.message).toMatch(/'type': 'json_invalid', 'loc': \('body', 0\), 'msg': 'JSON decode error'/);
    // A charset parameter is still JSON.
    expect((await post(sim, { model: LLAMA, messages }, 'application/json; charset=utf-8')).status).toBe(200);
  });

  it('structured_outputs.choice: the answer is exactly one of the choices, the model\'s own recommendation', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => post(sim, { model: QWEN_INSTRUCT, messages: [{ role: 'user', content: prompt(i) }], temperature: 0, structured_outputs: { choice: RECS } })));
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(RECS).toContain(content(a.json));
    }
    // The choice follows the model's judgement: the same as its recommendation under a json_schema.
    const schema = { type: 'object', properties: { recommendation: { enum: RECS } }, required: ['recommendation'] };
    for (let i = 0; i < 4; i++) {
      const free = await post(sim, { model: QWEN_INSTRUCT, messages: [{ role: 'user', content: prompt(i) }], temperature: 0, response_format: { type: 'json_schema', json_schema: { name: 'r', schema } } });
      expect(content(answers[i]!.json)).toBe((JSON.parse(content(free.json)!) as { recommendation: string }).recommendation);
    }
    // Choices unrelated to the task: still exactly one of them.
    const odd = await post(sim, { model: LLAMA, messages, structured_outputs: { choice: ['alpha', 'beta gamma'] } });
    expect(['alpha', 'beta gamma']).toContain(content(odd.json));
  });

  it('structured_outputs.regex: the answer fully matches the pattern; an unsupported construct is a 400 naming it', async () => {
    const patterns = ['(Strong Yes|Yes|Maybe|No|Strong No)', '[A-Z][a-z]{2,8}-\\d{3,5}', '\\{"score": [1-5], "ok": (true|false)\\}', '(?:ab|cd)+x?[^a-z\\s]{2}', '(?P<word>\\w+)@example\\.(com|org)'];
    for (const pattern of patterns) {
      const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => post(sim, { model: LLAMA, messages: [{ role: 'user', content: prompt(i) }], structured_outputs: { regex: pattern } })));
      const re = new RegExp(`^(?:${pattern.replace('(?P<', '(?<')})$`);
      for (const a of answers) {
        expect(a.status).toBe(200);
        expect(content(a.json), pattern).toMatch(re);
      }
    }
    for (const [pattern, named] of [['(?=a)b', 'lookahead'], ['(a)\\1', 'backreference'], ['\\bword\\b', 'word boundaries'], ['(a+)+b', 'nested unbounded quantifiers'], ['x[^\\s\\S]', 'no printable character']] as const) {
      const r = await post(sim, { model: LLAMA, messages, structured_outputs: { regex: pattern } });
      expect(r.status).toBe(400);
      expect((r.json as ErrorBody).error).toMatchObject({ type: 'BadRequestError', param: 'structured_outputs' });
      expect((r.json as ErrorBody).error.message).toContain(named);
    }
    // A regex the model's own answer meets is answered as the model would.
    const mine = await post(sim, { model: QWEN_INSTRUCT, messages: [{ role: 'user', content: prompt(1) }], temperature: 0, structured_outputs: { regex: RECS.join('|') } });
    const chosen = await post(sim, { model: QWEN_INSTRUCT, messages: [{ role: 'user', content: prompt(1) }], temperature: 0, structured_outputs: { choice: RECS } });
    expect(content(mine.json)).toBe(content(chosen.json));
  });

  it('stop strings end the answer at the earliest one, left out unless include_stop_str_in_output, and name it in stop_reason', async () => {
    const base = { model: QWEN_INSTRUCT, messages, temperature: 0, max_tokens: 1500 };
    const full = content((await post(sim, base)).json)!;
    const stop = full.slice(Math.floor(full.length / 2), Math.floor(full.length / 2) + 6);
    const at = full.indexOf(stop);
    expect(at).toBeGreaterThan(0);
    const cut = await post(sim, { ...base, stop: ['no such text', stop] });
    expect(content(cut.json)).toBe(full.slice(0, at));
    expect((cut.json as { choices: { finish_reason: string; stop_reason: string }[] }).choices[0]).toMatchObject({ finish_reason: 'stop', stop_reason: stop });
    const kept = await post(sim, { ...base, stop, include_stop_str_in_output: true });
    expect(content(kept.json)).toBe(full.slice(0, at + stop.length));
  });

  it('logprobs: one entry per generated token in vLLM\'s shape, top_logprobs k long with the sampled token first; streamed per chunk', async () => {
    const base = { model: LLAMA, messages, temperature: 0, max_tokens: 60 };
    const r = await post(sim, { ...base, logprobs: true, top_logprobs: 3 });
    const choice = (r.json as { choices: { message: { content: string }; logprobs: { content: { token: string; logprob: number; bytes: number[]; top_logprobs: { token: string; logprob: number }[] }[] } }[]; usage: { completion_tokens: number } }).choices[0]!;
    const entries = choice.logprobs.content;
    expect(entries.length).toBe((r.json as { usage: { completion_tokens: number } }).usage.completion_tokens);
    expect(entries.map((e) => e.token).join('')).toBe(choice.message.content);
    for (const e of entries) {
      expect(e.logprob).toBeLessThanOrEqual(0);
      expect(e.bytes).toEqual([...Buffer.from(e.token, 'utf8')]);
      expect(e.top_logprobs.length).toBe(3);
      expect(e.top_logprobs[0]).toMatchObject({ token: e.token, logprob: e.logprob });
      const ps = e.top_logprobs.map((t) => t.logprob);
      expect([...ps].sort((a, b) => b - a)).toEqual(ps);
      expect(ps.reduce((a, b) => a + Math.exp(b), 0)).toBeLessThanOrEqual(1.0001);
    }
    // logprobs without top_logprobs: empty top lists; without logprobs: null.
    const bare = (await post(sim, { ...base, logprobs: true })).json as { choices: { logprobs: { content: { top_logprobs: unknown[] }[] } }[] };
    expect(bare.choices[0]!.logprobs.content.every((e) => e.top_logprobs.length === 0)).toBe(true);
    expect((await post(sim, base)).json).toMatchObject({ choices: [{ logprobs: null }] });
    const raw = await fetch(`${sim.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...base, logprobs: true, top_logprobs: 3, stream: true }) });
    const streamed = (await raw.text()).split('\n\n').filter((l) => l.startsWith('data: {')).slice(1).map((l) => (JSON.parse(l.slice(6)) as { choices: { logprobs: { content: unknown[] } }[] }).choices[0]!.logprobs.content[0]);
    expect(streamed).toEqual(entries);
  });

  it('n: as many choices as asked (identical at temperature 0, own draws above it), usage summed, streamed by index; above the simulator\'s cap a 400', async () => {
    type Full = { choices: { index: number; message: { content: string }; finish_reason: string }[]; usage: { prompt_tokens: number; completion_tokens: number } };
    const one = (await post(sim, { model: QWEN_INSTRUCT, messages, temperature: 0 })).json as Full;
    const greedy = (await post(sim, { model: QWEN_INSTRUCT, messages, temperature: 0, n: 3 })).json as Full;
    expect(greedy.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(greedy.choices.map((c) => c.message.content)).toEqual(Array(3).fill(one.choices[0]!.message.content));
    expect(greedy.usage).toMatchObject({ prompt_tokens: one.usage.prompt_tokens, completion_tokens: 3 * one.usage.completion_tokens });
    const prompts = Array.from({ length: 6 }, (_, i) => [{ role: 'user', content: prompt(i) }]);
    const sampled = await Promise.all(prompts.map(async (m) => ((await post(sim, { model: QWEN_INSTRUCT, messages: m, temperature: 1, n: 4 })).json as Full).choices.map((c) => c.message.content)));
    expect(sampled.some((cs) => new Set(cs).size > 1)).toBe(true);
    const raw = await fetch(`${sim.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: QWEN_INSTRUCT, messages: prompts[0], temperature: 1, n: 4, stream: true }) });
    const events = (await raw.text()).split('\n\n').filter((l) => l.startsWith('data: {')).map((l) => (JSON.parse(l.slice(6)) as { choices: { index: number; delta: { content?: string }; finish_reason: string | null }[] }).choices[0]!);
    for (let i = 0; i < 4; i++) {
      const mine = events.filter((e) => e.index === i);
      expect(mine.map((e) => e.delta.content ?? '').join('')).toBe(sampled[0]![i]);
      expect(mine.filter((e) => e.finish_reason !== null).map((e) => e.finish_reason)).toEqual(['stop']);
    }
    const tooMany = await post(sim, { model: LLAMA, messages, n: 65 });
    expect(tooMany.status).toBe(400);
    expect((tooMany.json as ErrorBody).error.message).toBe('qualbench-sim supports n up to 64, got 65.');
  });

  it('0.11: guided_choice / guided_regex / guided_json are honoured, /version says 0.11.0, reasoning_content is the field', async () => {
    const origin = sim.baseURL.replace(/\/v1$/, '');
    expect(await (await fetch(`${origin}/version`)).json()).toEqual({ version: '0.11.0' });
    const choice = await post(sim, { model: LLAMA, messages, guided_choice: ['alpha', 'beta'] });
    expect(['alpha', 'beta']).toContain(content(choice.json));
    const regex = await post(sim, { model: LLAMA, messages, guided_regex: '\\d{4}' });
    expect(content(regex.json)).toMatch(/^\d{4}$/);
    const json = await post(sim, { model: LLAMA, messages, guided_json: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] } });
    expect(Number.isInteger((JSON.parse(content(json.json)!) as { n: number }).n)).toBe(true);
    const both = await post(sim, { model: LLAMA, messages, guided_choice: ['a'], guided_regex: 'a' });
    expect(both.status).toBe(400);
    expect((both.json as ErrorBody).error.message).toMatch(/^You can only use one kind of structured outputs constraint but multiple are specified/);
    const m = message((await post(sim, { model: LLAMA, messages })).json);
    expect(m).toHaveProperty('reasoning_content', null);
    expect(m).not.toHaveProperty('reasoning');
    expect(m.tool_calls).toEqual([]);
  });

  it('personas per model card: Instruct-2507 never thinks; Qwen3-4B thinks in content (no reasoning parser) unless enable_thinking is false', async () => {
    const ask = (model: string, i: number, extra: Record<string, unknown> = {}) => post(sim, { model, messages: [{ role: 'user', content: prompt(i) }], temperature: 0, max_tokens: 1500, ...extra });
    const idx = Array.from({ length: 8 }, (_, i) => i);
    const instruct = await Promise.all(idx.map((i) => ask(QWEN_INSTRUCT, i)));
    expect(instruct.some((a) => content(a.json)!.includes('<think>'))).toBe(false);
    const thinking = await Promise.all(idx.map((i) => ask(QWEN_THINKING, i)));
    for (const a of thinking) {
      expect(content(a.json)!.startsWith('<think>\n')).toBe(true);
      expect(content(a.json)).toContain('</think>');
      expect(message(a.json).reasoning_content).toBeNull();
    }
    const off = await Promise.all(idx.map((i) => ask(QWEN_THINKING, i, { chat_template_kwargs: { enable_thinking: false } })));
    expect(off.some((a) => content(a.json)!.includes('<think>'))).toBe(false);
  });

  it('streams one chunk per token (instant mode), the last token\'s chunk carrying finish_reason', async () => {
    const client = new OpenAI({ baseURL: sim.baseURL, apiKey: 'EMPTY', maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: LLAMA, messages: messages as OpenAI.Chat.ChatCompletionMessageParam[], stream: true, stream_options: { include_usage: true } });
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    const tokenChunks = chunks.slice(1).filter((c) => c.choices.length > 0);
    expect(tokenChunks.length).toBe(chunks[chunks.length - 1]!.usage!.completion_tokens);
    expect(tokenChunks[tokenChunks.length - 1]!.choices[0]!.finish_reason).toBe('stop');
    expect(tokenChunks.slice(0, -1).every((c) => c.choices[0]!.finish_reason === null)).toBe(true);
  });
});

describe('simulator contract, vLLM 0.12 with --reasoning-parser qwen3', () => {
  let sim: SimProcess;
  beforeAll(async () => {
    sim = await spawnSimulator(['--speed', 'instant', '--vllm-version', '0.12', '--reasoning-parser', 'qwen3', '--model', LLAMA, '--model', QWEN_THINKING]);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('guided_* are unknown fields from 0.12: accepted and ignored, the answer unconstrained', async () => {
    const origin = sim.baseURL.replace(/\/v1$/, '');
    expect(await (await fetch(`${origin}/version`)).json()).toEqual({ version: '0.12.0' });
    const plain = await post(sim, { model: LLAMA, messages });
    for (const extra of [{ guided_choice: ['alpha', 'beta'] }, { guided_regex: '\\d{4}' }, { guided_json: { type: 'object' } }]) {
      const r = await post(sim, { model: LLAMA, messages, ...extra });
      expect(r.status).toBe(200);
      expect(content(r.json)).toBe(content(plain.json));
    }
    // structured_outputs still works.
    expect(['alpha', 'beta']).toContain(content((await post(sim, { model: LLAMA, messages, structured_outputs: { choice: ['alpha', 'beta'] } })).json));
    // reasoning_effort is still Literal["low", "medium", "high"] in 0.12.
    expect((await post(sim, { model: QWEN_THINKING, messages, reasoning_effort: 'none' })).status).toBe(400);
    expect((await post(sim, { model: QWEN_THINKING, messages, reasoning_effort: 'low' })).status).toBe(200);
  });

  it('the thinking model\'s <think> text goes to `reasoning` (reasoning_content a deprecated copy), content keeps the answer; streamed too', async () => {
    const r = await post(sim, { model: QWEN_THINKING, messages, temperature: 0, max_tokens: 1500 });
    const m = message(r.json);
    expect(typeof m.reasoning).toBe('string');
    expect(m.reasoning_content).toBe(m.reasoning);
    expect(m.reasoning).toContain('Candidate 0');
    expect(m.content).not.toContain('<think>');
    expect(m.content).not.toContain('</think>');
    const raw = await fetch(`${sim.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: QWEN_THINKING, messages, temperature: 0, max_tokens: 1500, stream: true }) });
    const deltas = (await raw.text()).split('\n\n').filter((l) => l.startsWith('data: {')).map((l) => (JSON.parse(l.slice(6)) as { choices: { delta: Record<string, string> }[] }).choices[0]!.delta);
    expect(deltas.map((d) => d.reasoning ?? '').join('')).toBe(m.reasoning);
    expect(deltas.map((d) => d.content ?? '').join('')).toBe(m.content);
    expect(deltas.every((d) => d.reasoning_content === d.reasoning)).toBe(true);
    // include_reasoning: false drops the reasoning, the content stays.
    const hidden = message((await post(sim, { model: QWEN_THINKING, messages, temperature: 0, max_tokens: 1500, include_reasoning: false })).json);
    expect([hidden.reasoning, hidden.reasoning_content, hidden.content]).toEqual([null, null, m.content]);
  });
});

describe('simulator streaming in simulated time', () => {
  let sim: SimProcess;
  beforeAll(async () => {
    sim = await spawnSimulator(['--speed', '20', '--model', LLAMA]);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('sends one chunk per decoded token, not one per timer tick, and declares the ITL resolution in /sim/info', async () => {
    const client = new OpenAI({ baseURL: sim.baseURL, apiKey: 'EMPTY', maxRetries: 0 });
    const runs = await Promise.all(
      [0, 1, 2].map(async (i) => {
        const stream = await client.chat.completions.create({ model: LLAMA, messages: [{ role: 'user', content: prompt(i) }], stream: true, stream_options: { include_usage: true } });
        const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
        for await (const c of stream) chunks.push(c);
        return chunks;
      }),
    );
    for (const chunks of runs) {
      const tokenChunks = chunks.slice(1).filter((c) => c.choices.length > 0);
      expect(tokenChunks.length).toBe(chunks[chunks.length - 1]!.usage!.completion_tokens);
    }
    const info = (await (await fetch(`${sim.baseURL.replace(/\/v1$/, '')}/sim/info`)).json()) as { stream_chunks: string; models: Record<string, { speed: number; itl_resolution_s: number }> };
    expect(info.stream_chunks).toBe('per-token');
    // n = 2 through the engine: both sequences stream to the end, one chunk per token each.
    const two = await client.chat.completions.create({ model: LLAMA, messages: [{ role: 'user', content: prompt(5) }], n: 2, temperature: 1, stream: true, stream_options: { include_usage: true } });
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const c of two) chunks.push(c);
    const perIndex = [0, 1].map((i) => chunks.filter((c) => c.choices[0]?.index === i && !c.choices[0].delta.role).length);
    expect(perIndex[0]! + perIndex[1]!).toBe(chunks[chunks.length - 1]!.usage!.completion_tokens);
    expect(chunks.filter((c) => c.choices[0]?.finish_reason).map((c) => c.choices[0]!.index).sort()).toEqual([0, 1]);
    // 1 ms of real timer resolution at speed 20 = 20 ms simulated.
    expect(info.models[LLAMA]).toEqual({ speed: 20, itl_resolution_s: 0.02 });
  });
});
