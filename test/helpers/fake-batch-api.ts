/**
 * A local fake of an OpenAI-compatible Batch API (files + batches), a real HTTP server on 127.0.0.1:
 * upload (multipart), create, retrieve (validating -> in_progress -> completed over polls), file
 * content. It "executes" each line with a contract-valid answer; every fifth line fails into the
 * error file. It checks the bearer key and counts batch creations.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const RECS = ['Strong Yes', 'Yes', 'Maybe', 'No', 'Strong No'];

export interface FakeBatchApi {
  baseURL: string;
  batchesCreated: number;
  uploads: number;
  close(): Promise<void>;
}

function answer(i: number): string {
  const dim = (rating: string) => ({ rating, reasoning: 'Grounded in the profile, at length.' });
  return JSON.stringify({
    recommendation: RECS[i % RECS.length],
    reasoning: 'The candidate studied and worked at the places listed in the profile.',
    analysis: { educational_pedigree: dim('Good'), company_pedigree: dim('Good'), trajectory: dim('Okay'), is_software_engineer: dim('Great') },
  });
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The `file` part of a multipart/form-data body. */
function filePart(raw: Buffer, contentType: string): string {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) throw new Error('no multipart boundary');
  const sep = `--${boundary[1] ?? boundary[2]}`;
  for (const part of raw.toString('utf8').split(sep)) {
    if (!/name="file"/.test(part)) continue;
    const start = part.indexOf('\r\n\r\n');
    return part.slice(start + 4).replace(/\r\n$/, '');
  }
  throw new Error('no file part');
}

export function startFakeBatchApi(opts: { apiKey: string }): Promise<FakeBatchApi> {
  const files = new Map<string, string>();
  const batches = new Map<string, { id: string; input_file_id: string; polls: number; status: string; output_file_id: string | null; error_file_id: string | null; total: number; failed: number }>();
  let seq = 0;
  const api: FakeBatchApi = { baseURL: '', batchesCreated: 0, uploads: 0, close: async () => {} };
  const send = (res: ServerResponse, status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  const batchObject = (b: NonNullable<ReturnType<typeof batches.get>>) => ({
    id: b.id,
    object: 'batch',
    endpoint: '/v1/chat/completions',
    errors: null,
    input_file_id: b.input_file_id,
    completion_window: '24h',
    status: b.status,
    output_file_id: b.output_file_id,
    error_file_id: b.error_file_id,
    created_at: 1_700_000_000,
    request_counts: { total: b.total, completed: b.status === 'completed' ? b.total - b.failed : 0, failed: b.status === 'completed' ? b.failed : 0 },
    metadata: null,
  });
  const server = createServer(async (req, res) => {
    if (req.headers.authorization !== `Bearer ${opts.apiKey}`) return send(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
    const url = req.url ?? '';
    try {
      if (req.method === 'POST' && url === '/v1/files') {
        const content = filePart(await body(req), req.headers['content-type'] ?? '');
        const id = `file-${++seq}`;
        files.set(id, content);
        api.uploads++;
        return send(res, 200, { id, object: 'file', bytes: content.length, created_at: 1_700_000_000, filename: 'input.jsonl', purpose: 'batch' });
      }
      if (req.method === 'POST' && url === '/v1/batches') {
        const b = JSON.parse((await body(req)).toString()) as { input_file_id: string };
        const input = files.get(b.input_file_id);
        if (input === undefined) return send(res, 404, { error: { message: 'no such file' } });
        const id = `batch_${++seq}`;
        const total = input.split('\n').filter(Boolean).length;
        batches.set(id, { id, input_file_id: b.input_file_id, polls: 0, status: 'validating', output_file_id: null, error_file_id: null, total, failed: 0 });
        api.batchesCreated++;
        return send(res, 200, batchObject(batches.get(id)!));
      }
      const batch = /^\/v1\/batches\/([\w-]+)$/.exec(url);
      if (req.method === 'GET' && batch) {
        const b = batches.get(batch[1]!);
        if (!b) return send(res, 404, { error: { message: 'no such batch' } });
        b.polls++;
        if (b.polls === 1) b.status = 'in_progress';
        else if (b.polls >= 2 && b.status !== 'completed') {
          const out: string[] = [];
          const err: string[] = [];
          files.get(b.input_file_id)!.split('\n').filter(Boolean).forEach((line, i) => {
            const { custom_id } = JSON.parse(line) as { custom_id: string };
            if (i % 5 === 4) err.push(JSON.stringify({ id: `batch_req_${i}`, custom_id, response: null, error: { code: 'server_error', message: 'The worker died.' } }));
            else {
              const completion = { id: `chatcmpl-${i}`, object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: answer(i) }, finish_reason: 'stop' }], usage: { prompt_tokens: 600, completion_tokens: 150, total_tokens: 750 } };
              out.push(JSON.stringify({ id: `batch_req_${i}`, custom_id, response: { status_code: 200, request_id: `req_${i}`, body: completion }, error: null }));
            }
          });
          b.output_file_id = `file-${++seq}`;
          files.set(b.output_file_id, out.join('\n') + '\n');
          b.error_file_id = `file-${++seq}`;
          files.set(b.error_file_id, err.join('\n') + '\n');
          b.failed = err.length;
          b.status = 'completed';
        }
        return send(res, 200, batchObject(b));
      }
      const content = /^\/v1\/files\/([\w-]+)\/content$/.exec(url);
      if (req.method === 'GET' && content) {
        const text = files.get(content[1]!);
        if (text === undefined) return send(res, 404, { error: { message: 'no such file' } });
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return res.end(text);
      }
      send(res, 404, { error: { message: `no route ${req.method} ${url}` } });
    } catch (e) {
      send(res, 400, { error: { message: (e as Error).message } });
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      api.baseURL = `http://127.0.0.1:${port}/v1`;
      api.close = () => new Promise((r) => server.close(() => r()));
      resolve(api);
    });
  });
}
