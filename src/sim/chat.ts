/** `POST /v1/chat/completions`: validation, injected faults, the answer, and its (streamed) delivery. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SeqTimings } from './capacity.ts';
import { ApiError, UNAUTHORIZED_BODY, badRequest, maxTokensTooLarge, modelNotFound, promptTooLong } from './errors.ts';
import { generateAnswer } from './generate.ts';
import { authorized, faultedResponse, readBody, sendJson } from './http.ts';
import { answerTokens, applyStop, messageParts, tokenDelta } from './answer-tokens.ts';
import { checkContentType, parseChatRequest, type ChatRequest } from './request.ts';
import { verifySampling } from './sampling.ts';
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
  });
  const stopped = applyStop(full, request.sampling.stop, request.sampling.includeStopStr);
  const allTokens = answerTokens(stopped.text, ctx.reasoningParser);
  const pieces = allTokens.slice(0, budget);
  const finishReason = allTokens.length > budget ? 'length' : 'stop';
  const stopReason = allTokens.length > budget ? null : stopped.stopReason;
  const completionTokens = pieces.length;
  const id = `chatcmpl-${randomUUID().replace(/-/g, '')}`;
  const createdAt = Math.floor(Date.now() / 1000);
  const usage = (generated: number) => ({ prompt_tokens: promptTokens, total_tokens: promptTokens + generated, completion_tokens: generated, prompt_tokens_details: null });
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({ id, object: 'chat.completion.chunk', created: createdAt, model, choices, ...extra });
  const labels = { model_name: model, engine: '0' };

  const record = (t: SeqTimings | null, reason: string) => {
    const r = metrics.registry;
    r.inc('vllm:prompt_tokens_total', labels, promptTokens);
    r.inc('vllm:generation_tokens_total', labels, completionTokens);
    r.inc('vllm:request_success_total', { ...labels, finished_reason: reason });
    const tt = t ?? { queueS: 0, prefillS: 0, decodeS: 0, ttftS: 0, e2eS: 0, preemptions: 0 };
    r.observe('vllm:time_to_first_token_seconds', labels, tt.ttftS);
    r.observe('vllm:e2e_request_latency_seconds', labels, tt.e2eS);
    r.observe('vllm:request_queue_time_seconds', labels, tt.queueS);
    r.observe('vllm:request_prefill_time_seconds', labels, tt.prefillS);
    r.observe('vllm:request_decode_time_seconds', labels, tt.decodeS);
    observeEngineRequest(r, labels, { promptTokens, completionTokens, decodeS: t?.decodeS ?? null, interTokenS: t?.interTokenS ?? [] });
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

  if (!request.stream) {
    if (s.engine && clock) {
      const span = engineSpan();
      const job = s.engine.submit(clock.now(), promptTokens, completionTokens, () => {}, submitOptions());
      void job.done.then(span);
      clock.wake();
      let closed = false;
      res.on('close', () => {
        if (!res.writableFinished && !closed) {
          closed = true;
          job.abort();
          metrics.registry.inc('vllm:request_success_total', { ...labels, finished_reason: 'abort' });
        }
      });
      const timings = await job.done;
      if (closed) return;
      record(timings, finishReason);
    } else record(null, finishReason);
    const parts = messageParts(pieces);
    return sendJson(res, 200, {
      id,
      object: 'chat.completion',
      created: createdAt,
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: parts.content, refusal: null, annotations: null, audio: null, function_call: null, tool_calls: [], [vllm.reasoningField]: parts.reasoning },
          logprobs: null,
          finish_reason: finishReason,
          stop_reason: stopReason,
        },
      ],
      service_tier: null,
      system_fingerprint: null,
      usage: usage(completionTokens),
      prompt_logprobs: null,
      kv_transfer_params: null,
    });
  }

  // Streaming: one chunk per decoded token (see stream-pacer.ts); the last token's carries finish_reason.
  startSse(res);
  const cont = (n: number) => (request.continuousUsage && request.includeUsage ? { usage: usage(n) } : {});
  sendEvent(res, chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }], cont(0)));
  const writeToken = (i: number) => {
    const last = i === pieces.length - 1;
    const delta = tokenDelta(pieces[i]!, vllm.reasoningField);
    if (last) sendEvent(res, chunk([{ index: 0, delta: delta ?? { content: '' }, logprobs: null, finish_reason: finishReason, stop_reason: stopReason }], cont(i + 1)));
    else if (delta) sendEvent(res, chunk([{ index: 0, delta, logprobs: null, finish_reason: null }], cont(i + 1)));
  };
  const finish = () => {
    if (pieces.length === 0) sendEvent(res, chunk([{ index: 0, delta: { content: '' }, logprobs: null, finish_reason: finishReason, stop_reason: stopReason }], cont(0)));
    if (request.includeUsage) sendEvent(res, chunk([], { usage: usage(completionTokens) }));
    endSse(res);
  };
  if (s.engine && clock) {
    const span = engineSpan();
    const pacer = new TokenPacer(writeToken, clock.tickSeconds * 1000);
    const job = s.engine.submit(clock.now(), promptTokens, completionTokens, (g) => pacer.release(Math.min(g, pieces.length)), submitOptions());
    void job.done.then(span);
    clock.wake();
    let closed = false;
    res.on('close', () => {
      if (!res.writableFinished && !closed) {
        closed = true;
        job.abort();
        pacer.cancel();
        metrics.registry.inc('vllm:request_success_total', { ...labels, finished_reason: 'abort' });
      }
    });
    const timings = await job.done;
    if (closed) return;
    pacer.release(pieces.length);
    await pacer.flushed();
    if (closed) return;
    record(timings, finishReason);
    finish();
  } else {
    for (let i = 0; i < pieces.length; i++) writeToken(i);
    record(null, finishReason);
    finish();
  }
}
