/**
 * What a JSONL file handed to `import` is, read from its first lines, so a wrong file is named for
 * what it is ("the output of /score") rather than by what it lacks ("no choices"). Shapes are vLLM's
 * `run-batch` and the OpenAI Batch API's (see /work/shared/research/vllm-interfaces.md §batch).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The endpoint a response body came from, judged by its shape; null when it is a chat completion. */
export function nonChatBody(body: unknown): string | null {
  if (!isObject(body)) return null;
  const first = (k: string): Json | null => (Array.isArray(body[k]) && isObject((body[k] as unknown[])[0]) ? ((body[k] as unknown[])[0] as Json) : null);
  const choice = first('choices');
  if (choice && isObject(choice.message)) return null;
  if (body.object === 'text_completion' || (choice && typeof choice.text === 'string')) return '/v1/completions (text completions)';
  const data = first('data');
  if (data && (data.object === 'embedding' || Array.isArray(data.embedding))) return '/v1/embeddings';
  if (data && (data.object === 'score' || typeof data.score === 'number')) return '/score';
  if (data && data.object === 'classification') return '/classify';
  const result = first('results');
  if (result && typeof result.relevance_score === 'number') return '/rerank';
  if (body.object === 'chat.completion') return null;
  return null;
}

/** What to do with a batch output of another endpoint. */
const WRONG_ENDPOINT = 'qualbench scores chat answers: render the requests with `qualbench export-batch` (url /v1/chat/completions), run that batch, and import its output.';

export interface FileKind {
  /** Fit to import as chat-completions output (as far as the first lines tell). */
  ok: boolean;
  /** What the file is, for the user: "the output of a /score batch". */
  what: string;
  /** What to do instead. */
  advice: string;
  /** 1-based line the judgement was made on. */
  line?: number;
}

/** Judge one parsed line; null when it says nothing either way (e.g. an error line of an output file). */
function judgeLine(line: unknown, n: number): FileKind | null {
  if (Array.isArray(line)) return { ok: false, line: n, what: 'a JSON array, not JSONL', advice: 'A batch output file has one JSON object per line (JSONL), as `vllm run-batch` and the OpenAI Batch API write it.' };
  if (!isObject(line)) return null;
  if (isObject(line.body) && typeof line.url === 'string' && !('response' in line)) {
    const chat = /chat\/completions$/.test(line.url);
    return {
      ok: false,
      line: n,
      what: `a batch INPUT file (requests to ${line.url}), not the output the batch produced`,
      advice: chat ? 'Run the batch (`vllm run-batch -i <this file> -o output.jsonl --model <model>`, or `qualbench batch`), then import output.jsonl.' : WRONG_ENDPOINT,
    };
  }
  if (isObject(line.body) && Array.isArray(line.body.messages) && !('response' in line)) {
    return { ok: false, line: n, what: 'a batch INPUT file (requests with body.messages), not the output the batch produced', advice: 'Run the batch, then import its output file.' };
  }
  const resp = line.response;
  const wrapped = isObject(resp) && ('body' in resp || 'status_code' in resp);
  const body = wrapped ? resp.body : resp;
  const endpoint = nonChatBody(body);
  if (endpoint) return { ok: false, line: n, what: `the output of a ${endpoint} batch, not of /v1/chat/completions`, advice: WRONG_ENDPOINT };
  if (isObject(body) && Array.isArray(body.choices)) return { ok: true, line: n, what: 'chat-completions batch output', advice: '' };
  return null;
}

/** Read up to `max` non-blank lines and judge the file by the first line that tells. */
export async function batchFileKind(file: string, max = 50): Promise<FileKind | null> {
  const input = createReadStream(file, 'utf8');
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  let seen = 0;
  try {
    for await (const raw of lines) {
      n++;
      if (raw.trim() === '') continue;
      if (++seen > max) break;
      let json: unknown;
      try {
        json = JSON.parse(n === 1 ? raw.replace(/^\uFEFF/, '') : raw);
      } catch {
        return null; // the importer names the line
      }
      const kind = judgeLine(json, n);
      if (kind) return kind;
    }
  } finally {
    lines.close();
    input.destroy();
  }
  return null;
}
