/**
 * What served an answer. The response store keys every answer by it, so an answer from one server is
 * never served for another (the demo's simulator, then a real vLLM with the same model id), and every
 * result line names it, so a report can say where each group's answers came from.
 *
 * The identity covers what can change an answer for the same request: where the server is (host and
 * port of every base URL, credentials stripped; replicas as one pool), its vLLM version, the model's
 * `root` (the weights it loaded), and for qualbench's simulator everything `/sim/info` reports (seed,
 * speed, ...). It leaves out what cannot (concurrency, max_model_len).
 */
import { hashValue } from './hash.ts';

export interface ServerFacts {
  /** Base URLs the model is served from (one, or the replicas). */
  urls: string[];
  vllm_version: string | null;
  root: string | null;
  /** `/sim/info` of qualbench's simulator; null for any other server. */
  simulator: Record<string, unknown> | null;
}

export interface ServerIdentity {
  /** 16 hex digits, stable for the same facts. */
  id: string;
  /** For people: "vLLM 0.11.0 at gpu-host:8000", "qualbench simulator (seed 0, speed 50) at 127.0.0.1:8000". */
  label: string;
}

/** `host:port` of a base URL without credentials or path; the URL itself when it does not parse. */
export function hostOf(url: string): string {
  try {
    const u = new URL(url);
    const port = u.port || (u.protocol === 'https:' ? '443' : '80');
    return `${u.hostname}:${port}`;
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}

export function serverIdentity(facts: ServerFacts): ServerIdentity {
  const hosts = [...new Set(facts.urls.map(hostOf))].sort();
  const sim = facts.simulator;
  const id = hashValue({ hosts, vllm_version: facts.vllm_version, root: facts.root, simulator: sim }).slice(0, 16);
  const where = hosts.length === 1 ? hosts[0] : `${hosts.length} replicas (${hosts.join(', ')})`;
  const what = sim
    ? `qualbench simulator (${Object.entries(sim)
        .filter(([k]) => k !== 'simulator' && k !== 'max_num_seqs' && k !== 'max_model_len')
        .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join(', ')})`
    : facts.vllm_version
      ? `vLLM ${facts.vllm_version}`
      : 'an OpenAI-compatible server';
  return { id, label: `${what} at ${where}` };
}
