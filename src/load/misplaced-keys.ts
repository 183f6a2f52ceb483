/**
 * Keys people write in the wrong place, named with the right one before zod's bare "Unrecognized
 * key". A key that may hold a secret is named, never its value. Checked on the parsed file before the
 * schema, so the message can say what to write instead.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.ts';
import { locateJsonPath } from '../core/json-file.ts';
import { EvalDefinition, ModelConfig } from '../core/records.ts';

const SECRET = 'the key itself never goes in a file (it would land in git, the manifest and reports): put it in an environment variable and name that variable with "api_key_env": "OPENAI_API_KEY". If the key was committed, rotate it.';
/** Keys that hold (or smell of) a secret. */
const SECRET_KEY = /^(api[_-]?key|apikey|key|token|access[_-]?token|auth|authorization|bearer|secret|password|openai[_-]api[_-]key|hf[_-]token|headers)$/i;
const SAMPLING = ['temperature', 'top_p', 'top_k', 'max_tokens', 'max_completion_tokens', 'seed', 'presence_penalty', 'frequency_penalty', 'repetition_penalty', 'stop', 'n'];

/** In a model entry of models.json: wrong key -> what to write. */
const MODEL_KEYS: Record<string, string> = {
  model: '"id": the served model id',
  name: '"id" (the served model id) or "label" (the name reports show)',
  model_id: '"id"',
  modelid: '"id"',
  baseurl: '"base_url" (ending in /v1)',
  'base-url': '"base_url" (ending in /v1)',
  url: '"base_url" (ending in /v1)',
  endpoint: '"base_url" (ending in /v1)',
  api_base: '"base_url" (ending in /v1)',
  base: '"base_url" (ending in /v1)',
  host: '"base_url" (ending in /v1)',
  api_key_var: '"api_key_env"',
  api_key_env_var: '"api_key_env"',
  key_env: '"api_key_env"',
  max_concurrency: '"concurrency"',
  parallel: '"concurrency"',
  parallelism: '"concurrency"',
  price: '"pricing"',
  prices: '"pricing"',
  replica: '"replicas" (a list of base URLs)',
  notes: '"server_notes"',
  extra_body_params: '"extra_body"',
  command: '"launch": {"command": [...]}',
  ...Object.fromEntries(SAMPLING.map((k) => [k, `the eval's "sampling": {"${k}": …} (sampling is per eval, so every model is asked the same way), or this model's "extra_body" for a server-specific field`])),
};

/** At the top level of an eval: wrong key -> what to write. */
const EVAL_KEYS: Record<string, string> = {
  model: '"model_ids": ["<id>"] (which models of the models config to run)',
  model_id: '"model_ids": ["<id>"]',
  prompts: '"prompt" (the folder under prompts/) and "prompt_versions"',
  versions: '"prompt_versions"',
  prompt_version: '"prompt_versions": ["v1"]',
  data: '"dataset" (the folder under datasets/)',
  datasets: '"dataset" (one folder under datasets/)',
  scorer: '"scorers": [...]',
  gate: '"gates"',
  base_url: 'evals/models.json, in the model\'s entry ("base_url"), or --base-url',
  concurrency: 'evals/models.json, in the model\'s entry ("concurrency"), or --concurrency',
  ...Object.fromEntries(SAMPLING.map((k) => [k, `"sampling": {"${k}": …}`])),
};

interface Misplaced {
  path: string[];
  key: string;
  secret: boolean;
  instead: string;
  /** `api_key_env` holds something that is not a variable name (often the key itself). */
  notName?: boolean;
  /** A URL with a user name or password in it. */
  inUrl?: boolean;
}

/** A URL with `user:password@`. */
function hasCredentials(url: string): boolean {
  try {
    const u = new URL(url);
    return Boolean(u.username || u.password);
  } catch {
    return false;
  }
}

/** The path of the first secret-looking key inside a value (extra_body is sent with every request and recorded). */
function secretKeyIn(v: unknown, path: string[]): string[] | null {
  if (!v || typeof v !== 'object') return null;
  for (const [k, x] of Object.entries(v)) {
    if (SECRET_KEY.test(k) && k !== 'key') return [...path, k];
    const inner = secretKeyIn(x, [...path, k]);
    if (inner) return inner;
  }
  return null;
}

function findInModels(json: unknown): Misplaced | null {
  const models = (json as { models?: unknown })?.models;
  if (!Array.isArray(models)) return null;
  for (let i = 0; i < models.length; i++) {
    const m = models[i];
    if (!m || typeof m !== 'object' || Array.isArray(m)) continue;
    const env = (m as { api_key_env?: unknown }).api_key_env;
    if (typeof env === 'string' && !/^[A-Z_][A-Z0-9_]*$/.test(env)) {
      return { path: ['models', String(i), 'api_key_env'], key: 'api_key_env', secret: true, instead: SECRET, notName: true };
    }
    const urls = [['base_url', (m as { base_url?: unknown }).base_url], ...((Array.isArray((m as { replicas?: unknown }).replicas) ? (m as { replicas: unknown[] }).replicas : []).map((u, j) => [`replicas.${j}`, u]))] as Array<[string, unknown]>;
    for (const [field, u] of urls) {
      if (typeof u === 'string' && hasCredentials(u)) return { path: ['models', String(i), ...field.split('.')], key: field, secret: true, instead: SECRET, inUrl: true };
    }
    const extra = secretKeyIn((m as { extra_body?: unknown }).extra_body, ['models', String(i), 'extra_body']);
    if (extra) return { path: extra, key: extra[extra.length - 1]!, secret: true, instead: SECRET };
    for (const key of Object.keys(m)) {
      if (key === 'api_key_env') continue;
      if (SECRET_KEY.test(key)) return { path: ['models', String(i), key], key, secret: true, instead: SECRET };
      const instead = MODEL_KEYS[key.toLowerCase()];
      if (instead && !(key in KNOWN_MODEL)) return { path: ['models', String(i), key], key, secret: false, instead: `write ${instead}` };
    }
  }
  return null;
}

const KNOWN_MODEL: Record<string, unknown> = ModelConfig.shape;
const KNOWN_EVAL: Record<string, unknown> = EvalDefinition.shape;

function findInEval(json: unknown): Misplaced | null {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return null;
  for (const key of Object.keys(json)) {
    if (key in KNOWN_EVAL) continue;
    if (SECRET_KEY.test(key)) return { path: [key], key, secret: true, instead: SECRET };
    const instead = EVAL_KEYS[key.toLowerCase()];
    if (instead) return { path: [key], key, secret: false, instead: `write ${instead}` };
  }
  const sampling = (json as { sampling?: unknown }).sampling;
  if (sampling && typeof sampling === 'object' && !Array.isArray(sampling)) {
    for (const key of Object.keys(sampling)) if (SECRET_KEY.test(key)) return { path: ['sampling', key], key, secret: true, instead: SECRET };
  }
  return null;
}

/**
 * Refuse a known-misplaced or secret-looking key in `evals/models.json` (`kind: 'models'`) or an eval,
 * naming the file, line, field path and the right field. Says nothing (returns) when the file does not parse:
 * the schema check reports that.
 */
export function refuseMisplacedKeys(abs: string, file: string, kind: 'models' | 'eval'): void {
  let text: string;
  let json: unknown;
  try {
    text = readFileSync(abs, 'utf8').replace(/^\uFEFF/, '');
    json = JSON.parse(text);
  } catch {
    return;
  }
  const found = kind === 'models' ? findInModels(json) : findInEval(json);
  if (!found) return;
  const where = found.path.join('.');
  const message = found.inUrl
    ? `\`${found.key}\` carries a user name or password in the URL (not shown here)`
    : found.notName
    ? '`api_key_env` names an environment variable (upper-case letters, digits and _); this value is not a variable name and may be the key itself (not shown here)'
    : found.secret
      ? `\`${found.key}\` looks like an API key or other secret written into the file (its value is not shown here)`
      : `\`${found.key}\` is not a field here`;
  throw new UserError(message, {
    file,
    line: locateJsonPath(text, found.path),
    field: where,
    hint: found.secret ? `${kind === 'eval' ? 'An eval holds no credentials; a model\'s key is read from the environment variable its entry in evals/models.json names: ' : ''}${SECRET[0]!.toUpperCase()}${SECRET.slice(1)}` : `Instead, ${found.instead}.`,
  });
}
