import { UserError } from './errors.ts';
/**
 * The one place environment variables are read. The composition root (cli.ts) calls
 * `readEnv()` once and passes the values down; no other module touches `process.env`.
 */
export interface QualbenchEnv {
  /** Default OpenAI-compatible base URL for models without `base_url`. */
  vllmBaseUrl: string;
  /** Named API-key variables, resolved on demand (never copied into records). */
  apiKey(name: string | undefined): string | undefined;
  /** Content-addressed response store folder. */
  storeDir: string | undefined;
  /** Running under CI: no TTY progress bar, machine-readable output. */
  ci: boolean;
  /** Path of the GitHub step summary file, when set. */
  githubStepSummary: string | undefined;
  /** Values of the API-key variables in use, to redact from anything written (server logs). */
  secrets(names: (string | undefined)[]): string[];
  /** The environment for a child process (a launched server): this one plus `extra`. */
  childEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
}

export const DEFAULT_BASE_URL = 'http://localhost:8000/v1';

export function readEnv(env: NodeJS.ProcessEnv = process.env): QualbenchEnv {
  return {
    vllmBaseUrl: env.VLLM_BASE_URL ? checkedBaseUrl(env.VLLM_BASE_URL, 'VLLM_BASE_URL') : DEFAULT_BASE_URL,
    // Explicit variable first; then the two conventional ones.
    // An empty variable counts as unset.
    apiKey: (name) => (name ? env[name] : undefined) || env.VLLM_API_KEY || env.OPENAI_API_KEY || undefined,
    storeDir: env.QUALBENCH_STORE || undefined,
    ci: Boolean(env.CI) && env.CI !== 'false' && env.CI !== '0',
    githubStepSummary: env.GITHUB_STEP_SUMMARY || undefined,
    secrets: (names) => [...new Set([...names, 'VLLM_API_KEY', 'OPENAI_API_KEY'].flatMap((n) => (n && env[n] ? [env[n]!] : [])))],
    childEnv: (extra) => ({ ...env, ...extra }),
  };
}

/**
 * A base URL as given in VLLM_BASE_URL or --base-url: an http(s) URL with a host, or a usage error that
 * names where it came from (`htp:/x` would otherwise fail later as "nothing answered").
 */
export function checkedBaseUrl(value: string, where: string): string {
  let u: URL | null = null;
  try {
    u = new URL(value);
  } catch {
    u = null;
  }
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) {
    throw new UserError(`\`${value}\` is not an http(s) URL`, { field: where, hint: 'Write it like http://localhost:8000/v1 (vLLM serves the OpenAI API under /v1).' });
  }
  if (u.username || u.password) {
    // The URL lands in the manifest, the report and logs: credentials in it would leak (never echoed here).
    throw new UserError('the URL carries a user name or password (not shown here)', { field: where, hint: `Give the URL without them (${u.protocol}//${u.host}${u.pathname}), and the key through the environment variable a model's "api_key_env" names.` });
  }
  return value.replace(/\/+$/, '');
}
