import { RunAbortedError, UserError } from '../core/errors.ts';

export interface ServerInfo {
  vllm_version: string | null;
  max_model_len: number | null;
  root: string | null;
  served: string[];
  /** Present when the server is qualbench's simulator (GET /sim/info answers): everything it reports (speed, seed, ...). */
  simulator: ({ speed: number | 'instant' } & Record<string, unknown>) | null;
}

/** Start-up hint shown when nothing answers at a base URL. */
export function unreachableHint(baseURL: string): string {
  return [
    `Nothing answered at ${baseURL}.`,
    'Start vLLM with `vllm serve <model id> --port 8000` (its OpenAI-compatible server listens on http://localhost:8000/v1),',
    'or start the bundled simulator with `npm run sim` (add `-- --speed 100` for a fast one),',
    'or point qualbench elsewhere with VLLM_BASE_URL or `base_url` in the models config.',
    'To see the whole thing work without a server, run `npm run demo`.',
  ].join(' ');
}

/**
 * Ask a server what it serves before sending anything: GET /v1/models (the key, if any) and
 * GET /version (unauthenticated on vLLM). Unreachable: RunAbortedError with how to start one.
 * Model not served: UserError naming the ids it does serve.
 */
export async function probeServer(baseURL: string, modelId: string, apiKey: string | undefined, timeoutMs = 10_000): Promise<ServerInfo> {
  const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  let res: Response;
  try {
    res = await fetch(`${baseURL}/models`, { headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const code = ((e as { cause?: { code?: string } })?.cause?.code ?? '') as string;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      let host = baseURL;
      try {
        host = new URL(baseURL).hostname;
      } catch {
        // keep the URL
      }
      throw new RunAbortedError(`cannot reach the model server for \`${modelId}\`: the host name \`${host}\` does not resolve (${code})`, `Check the host in ${baseURL} (a typo?), or the machine's DNS.`);
    }
    throw new RunAbortedError(`cannot reach the model server for \`${modelId}\``, unreachableHint(baseURL));
  }
  if (res.status === 401) {
    throw new UserError(`the server at ${baseURL} refused the API key (401)`, {
      field: 'api_key_env',
      hint: 'Set the key in the variable named by `api_key_env` in the models config (or VLLM_API_KEY / OPENAI_API_KEY).',
    });
  }
  if (res.status === 404 && !/\/v1\/?$/.test(baseURL)) {
    // Something answers, but not the OpenAI API at this path: vLLM serves it under /v1.
    throw new UserError(`GET ${baseURL}/models answered 404: the server is there, but not the OpenAI-compatible API at that path`, {
      field: 'base_url',
      hint: `vLLM serves it under /v1: try ${baseURL.replace(/\/+$/, '')}/v1 (in --base-url, VLLM_BASE_URL or base_url in the models config).`,
    });
  }
  if (!res.ok) throw new RunAbortedError(`GET ${baseURL}/models answered ${res.status}`, unreachableHint(baseURL));
  const body = (await res.json().catch(() => null)) as { data?: Array<{ id: string; max_model_len?: number | null; root?: string | null }> } | null;
  const cards = body?.data ?? [];
  const card = cards.find((c) => c.id === modelId);
  if (!card) {
    throw new UserError(`the server at ${baseURL} does not serve \`${modelId}\``, {
      field: 'models',
      hint: `It serves: ${cards.map((c) => c.id).join(', ') || 'nothing'}. Fix the id in the models config or start the server with that model.`,
    });
  }
  let version: string | null = null;
  try {
    const v = await fetch(`${baseURL.replace(/\/v1$/, '')}/version`, { signal: AbortSignal.timeout(timeoutMs) });
    if (v.ok) version = ((await v.json()) as { version?: string }).version ?? null;
  } catch {
    // /version is informational; hosted OpenAI-compatible APIs do not have it.
  }
  let simulator: ServerInfo['simulator'] = null;
  try {
    const s = await fetch(`${baseURL.replace(/\/v1$/, '')}/sim/info`, { signal: AbortSignal.timeout(timeoutMs) });
    if (s.ok) {
      const info = (await s.json()) as { simulator?: string; speed?: number | 'instant' | 'auto'; models?: Record<string, { speed?: number | 'instant' }> } & Record<string, unknown>;
      // The model's own clock speed (with `--speed auto` each model has its own); older simulators give one speed.
      // Everything else /sim/info says (seed, run seed, ...) is kept: it is part of the server's identity.
      const speed = info.models?.[modelId]?.speed ?? info.speed;
      if (info.simulator === 'qualbench-sim' && speed !== undefined && speed !== 'auto') simulator = { ...info, speed };
    }
  } catch {
    // Only the simulator has /sim/info.
  }
  return { vllm_version: version, max_model_len: card.max_model_len ?? null, root: card.root ?? null, served: cards.map((c) => c.id), simulator };
}
