/** `POST /v1/chat/completions`: validation, injected faults, the answer, and its (streamed) delivery. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SeqTimings } from './capacity.ts';
import { ApiError, UNAUTHORIZED_BODY, badRequest, maxTokensTooLarge, modelNotFound, promptTooLong } from './errors.ts';
import { generateAnswer } from './generate.ts';
import { authorized, faultedResponse, readBody, sendJson } from './http.ts';
import { answerTokens, applyStop, messageParts, tokenDelta, type AnswerToken } from './answer-tokens.ts';
import { checkContentType, parseChatRequest, type ChatRequest } from './request.ts';
import { verifySampling } from './sampling.ts';
import { syntheticLogprobs, type TokenLogprob } from './logprobs.ts';
import { TokenPacer } from './stream-pacer.ts';
import type { VllmBehaviour } from './vllm-version.ts';
import type { Served, buildMetrics } from './served.ts';
import type { ServerOptions } from './server.ts';
import { endSse, sendEvent, startSse } from './sse.ts';
import type { faultPicker } from './faults.ts';
import { countPromptTokens } from './tokenizer.ts';
import { observeEngineRequest } from './metrics.ts';
import { promptBlockHashes } from './prefix.ts';

/** What the chat handler needs from the running server. */
export interface ChatContext {
  options: ServerOptions;
  served: Map<string, Served>;
  defaultModel: string;
  metrics: ReturnType<typeof buildMetrics>;
  pickFault: ReturnType<typeof faultPicker>;
  /** The vLLM version's behaviours (`--vllm-version`). */
  vllm: VllmBehaviour;
  /** `--reasoning-parser` (e.g. `qwen3`), or null: thinking stays in `content`. */
  reasoningParser: string | null;
}

export async function handleChat(ctx: ChatContext, req: IncomingMessage, res: ServerResponse, guarded: boolean): Promise<void> {
  const { options, served, defaultModel, metrics, pickFault, vllm } = ctx;
  const raw = await readBody(req);
  const count = (model: string, status: number) => metrics.registry.inc('qualbench_sim_chat_requests_total', { model_name: model, status: String(status) });
  const bestModel = () => {
    try {
      const m = (JSON.parse(raw) as { model?: unknown }).model;
      return typeof m === 'string' ? m : defaultModel;
    } catch {
      return defaultModel;
    }
  };
  if (guarded && options.apiKeys.length > 0 && !authorized(req, options.apiKeys)) {
    count(bestModel(), 401);
    return sendJson(res, 401, UNAUTHORIZED_BODY);
  }
  let request: ChatRequest;
  let s: Served;
  let promptTokens: number;
  let budget: number;
  try {
    checkContentType(req.headers['content-type']);
    request = parseChatRequest(raw, vllm);
    const model = request.model ?? defaultModel;
    const found = served.get(model);
    if (!found) throw modelNotFound(model);
    s = found;
    // The simulator runs as a vLLM started without --enable-auto-tool-choice / --tool-call-parser.
    if (request.toolChoice === 'auto') throw badRequest('"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set');
    if (request.toolChoice) throw badRequest(`qualbench-sim does not simulate tool calls (tool_choice ${request.toolChoice === 'named' ? 'naming a function' : '"required"'}).`, 'tool_choice');
    promptTokens = countPromptTokens(request.messages, s.spec.template);
    if (promptTokens >= options.maxModelLen) throw promptTooLong(options.maxModelLen, promptTokens);
    if (request.maxTokens !== null && promptTokens + request.maxTokens > options.maxModelLen) {
      throw maxTokensTooLarge(request.maxTokens, options.maxModelLen, promptTokens);
    }
    budget = request.maxTokens ?? options.maxModelLen - promptTokens;
    verifySampling(request, budget);
  } catch (e) {
    if (e instanceof ApiError) count(bestModel(), e.status);
    throw e;
  }
  const model = s.spec.id;
  const fault = pickFault();
  if (fault === '429' || fault === '500' || fault === '503') {
    const status = Number(fault);
    count(model, status);
    const body = new ApiError(status, status === 429 ? 'RateLimitError' : 'InternalServerError', status === 429 ? 'Too many requests (injected fault)' : 'Internal server error (injected fault)').body();
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...(status === 429 ? { 'retry-after': '0' } : {}) });
    return void res.end(text);
  }
  if (fault === 'reset' || (fault === 'cut' && !request.stream)) {
    count(model, 0);
    return void req.socket.destroy();
  }
  if (fault === 'hang') {
    count(model, 0);
    return; // never answers; the socket closes when the client gives up
  }
  if (fault === 'malformed') {
    count(model, 200);
    const text = '{"id":"chatcmpl-broken","object":"chat.completion","choices":[{"index":0,"message":{"role":"assis';
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    return void res.end(text);
  }
  if (fault === 'cut' || fault === 'slow') faultedResponse(res, fault);
  count(model, 200);

  // One choice per `n` (vLLM's parallel sampling: n child sequences of one request).
  const choices: Choice[] = Array.from({ length: request.n }, (_, index) => {
    const full = generateAnswer({
      serverSeed: options.seed,
      runSeed: options.runSeed,
      rerunNoise: options.rerunNoise,
      ...(options.genericQuality !== undefined ? { genericQuality: options.genericQuality } : {}),
      model,
      messages: request.messages,
      temperature: request.temperature,
      seed: request.seed,
      maxTokens: request.maxTokens,
      mode: request.mode,
      schema: request.schema,
      constraint: request.constraint,
      thinking: request.thinking,
      choiceIndex: index,
    });
    const stopped = applyStop(full, request.sampling.stop, request.sampling.includeStopStr);
    const allTokens = answerTokens(stopped.text, ctx.reasoningParser);
    const pieces = allTokens.slice(0, budget);
    const cut = allTokens.length > budget;
    const topK = request.sampling.topLogprobs === -1 ? 20 : (request.sampling.topLogprobs ?? 0);
    return {
      index,
      pieces,
      finishReason: cut ? 'length' : 'stop',
      stopReason: cut ? null : stopped.stopReason,
      logprobs: request.sampling.logprobs ? syntheticLogprobs(pieces.map((t) => t.text), topK) : null,
    };
  });
  const completionTokens = choices.reduce((n, c) => n + c.pieces.length, 0);
  const id = `chatcmpl-${randomUUID().replace(/-/g, '')}`;
  const createdAt = Math.floor(Date.now() / 1000);
  const usage = (generated: number) => ({ prompt_tokens: promptTokens, total_tokens: promptTokens + generated, completion_tokens: generated, prompt_tokens_details: null });
  const chunk = (list: unknown[], extra: Record<string, unknown> = {}) => ({ id, object: 'chat.completion.chunk', created: createdAt, model, choices: list, ...extra });
  const labels = { model_name: model, engine: '0' };

  // Per child sequence; the prompt is counted once per request.
  const record = (c: Choice, t: SeqTimings | null) => {
    const r = metrics.registry;
    if (c.index === 0) r.inc('vllm:prompt_tokens_total', labels, promptTokens);
    r.inc('vllm:generation_tokens_total', labels, c.pieces.length);
    r.inc('vllm:request_success_total', { ...labels, finished_reason: c.finishReason });
    const tt = t ?? { queueS: 0, prefillS: 0, decodeS: 0, ttftS: 0, e2eS: 0, preemptions: 0 };
    r.observe('vllm:time_to_first_token_seconds', labels, tt.ttftS);
    r.observe('vllm:e2e_request_latency_seconds', labels, tt.e2eS);
    r.observe('vllm:request_queue_time_seconds', labels, tt.queueS);
    r.observe('vllm:request_prefill_time_seconds', labels, tt.prefillS);
    r.observe('vllm:request_decode_time_seconds', labels, tt.decodeS);
    observeEngineRequest(r, labels, { promptTokens, completionTokens: c.pieces.length, decodeS: t?.decodeS ?? null, interTokenS: t?.interTokenS ?? [] });
  };
  // Prefix caching: the prompt's block hashes let the engine share cached blocks of a common prefix.
  const submitOptions = () => ({ blockHashes: s.engine?.kv.prefixCaching ? promptBlockHashes(model, request.messages, s.spec.template) : [] });

  const clock = s.clock;
  // A request enters and leaves the engine: the pacer holds the clock while the client owes a freed
  // slot; the real seconds spent in the engine are counted beside (the rest of the client's latency
  // is HTTP and turnaround, host time).
  const engineSpan = () => {
    const t0 = performance.now();
    s.pacer?.arrived(t0, !s.engine!.busy);
    return () => {
      const t1 = performance.now();
      s.pacer?.finished(t1);
      metrics.registry.inc('qualbench_sim_engine_real_seconds_total', { model_name: model }, (t1 - t0) / 1000);
    };
  };
  /** Submit every choice's sequence (each prefills the prompt, less what it finds in the prefix cache). */
  const submit = (onTokens: (c: Choice, generated: number) => void, onAbort: () => void) => {
    const jobs = choices.map((c) => {
      const span = engineSpan();
      const job = s.engine!.submit(clock!.now(), promptTokens, c.pieces.length, (g) => onTokens(c, g), submitOptions());
      void job.done.then(span);
      return job;
    });
    clock!.wake();
    const state = { closed: false };
    res.on('close', () => {
      if (!res.writableFinished && !state.closed) {
        state.closed = true;
        for (const job of jobs) job.abort();
        onAbort();
        for (let k = 0; k < jobs.length; k++) metrics.registry.inc('vllm:request_success_total', { ...labels, finished_reason: 'abort' });
      }
    });
    return { state, timings: Promise.all(jobs.map((j) => j.done)) };
  };

  if (!request.stream) {
    if (s.engine && clock) {
      const { state, timings } = submit(() => {}, () => {});
      const done = await timings;
      if (state.closed) return;
      choices.forEach((c, k) => record(c, done[k]!));
      // Not part of vLLM: the request's end-to-end latency in simulated (GPU) time, for the client's timeout (GPU_LATENCY_HEADER in src/core/run-records.ts).
      if (!options.asVllm) res.setHeader('x-qualbench-sim-e2e-ms', String(Math.round(Math.max(...done.map((t) => t.e2eS)) * 1000)));
    } else for (const c of choices) record(c, null);
    return sendJson(res, 200, {
      id,
      object: 'chat.completion',
      created: createdAt,
      model,
      choices: choices.map((c) => {
        const parts = messageParts(c.pieces);
        if (!request.includeReasoning) parts.reasoning = null;
        return {
          index: c.index,
          message: { role: 'assistant', content: parts.content, refusal: null, annotations: null, audio: null, function_call: null, tool_calls: [], ...Object.fromEntries(vllm.reasoningFields.map((f) => [f, parts.reasoning])) },
          logprobs: c.logprobs ? { content: c.logprobs } : null,
          finish_reason: c.finishReason,
          stop_reason: c.stopReason,
        };
      }),
      service_tier: null,
      system_fingerprint: null,
      usage: usage(completionTokens),
      prompt_logprobs: null,
      kv_transfer_params: null,
    });
  }

  // Streaming: a role chunk per choice, then one chunk per decoded token (see stream-pacer.ts); each
  // choice's last token carries its finish_reason; usage (if asked) and [DONE] after all of them.
  startSse(res);
  let sentTokens = 0;
  const cont = () => (request.continuousUsage && request.includeUsage ? { usage: usage(sentTokens) } : {});
  for (const c of choices) sendEvent(res, chunk([{ index: c.index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }], cont()));
  const writeToken = (c: Choice, i: number) => {
    sentTokens++;
    const last = i === c.pieces.length - 1;
    const token = c.pieces[i]!;
    const delta = token.part === 'reasoning' && !request.includeReasoning ? null : tokenDelta(token, vllm.reasoningFields);
    const lp = c.logprobs ? { content: [c.logprobs[i]!] } : null;
    if (last) sendEvent(res, chunk([{ index: c.index, delta: delta ?? { content: '' }, logprobs: lp, finish_reason: c.finishReason, stop_reason: c.stopReason }], cont()));
    else if (delta) sendEvent(res, chunk([{ index: c.index, delta, logprobs: lp, finish_reason: null }], cont()));
  };
  const finish = (e2eS: number | null = null) => {
    for (const c of choices) {
      if (c.pieces.length === 0) sendEvent(res, chunk([{ index: c.index, delta: { content: '' }, logprobs: null, finish_reason: c.finishReason, stop_reason: c.stopReason }], cont()));
    }
    // Not part of vLLM: the simulated (GPU) end-to-end latency rides on the usage chunk (GPU_LATENCY_FIELD in src/core/run-records.ts).
    if (request.includeUsage) sendEvent(res, chunk([], { usage: usage(completionTokens), ...(e2eS !== null && !options.asVllm ? { qualbench_sim: { e2e_ms: Math.round(e2eS * 1000) } } : {}) }));
    endSse(res);
  };
  if (s.engine && clock) {
    const pacers = new Map(choices.map((c) => [c, new TokenPacer((i) => writeToken(c, i), clock.tickSeconds * 1000)]));
    const { state, timings } = submit(
      (c, g) => pacers.get(c)!.release(Math.min(g, c.pieces.length)),
      () => {
        for (const p of pacers.values()) p.cancel();
      },
    );
    const done = await timings;
    if (state.closed) return;
    await Promise.all(choices.map((c) => {
      const p = pacers.get(c)!;
      p.release(c.pieces.length);
      return p.flushed();
    }));
    if (state.closed) return;
    choices.forEach((c, k) => record(c, done[k]!));
    finish(Math.max(...done.map((t) => t.e2eS)));
  } else {
    for (const c of choices) for (let i = 0; i < c.pieces.length; i++) writeToken(c, i);
    for (const c of choices) record(c, null);
    finish();
  }
}

/** One of the request's `n` answers, as decoded tokens and how it ended. */
interface Choice {
  index: number;
  pieces: AnswerToken[];
  finishReason: 'length' | 'stop';
  stopReason: string | null;
  logprobs: TokenLogprob[] | null;
}
