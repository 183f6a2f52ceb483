/**
 * The cheapest OpenAI-compatible server: every chat completion gets the same canned, contract-valid
 * answer at once, so a benchmark measures the harness, not the server (the simulator in instant mode
 * still writes a persona's answer per request, which costs CPU on a 2-core machine).
 * Usage: node bench/stub-server.ts [port]   (prints `stub listening on http://127.0.0.1:PORT`)
 */
import { createServer } from 'node:http';

const MODELS = ['google/gemma-3-4b-it', 'meta-llama/Llama-3.2-1B-Instruct', 'Qwen/Qwen3-4B-Instruct-2507'];
const dim = (rating: string) => ({ rating, reasoning: 'Grounded in the profile: school, employers and titles as listed.' });
const content = JSON.stringify({
  recommendation: 'Yes',
  reasoning: 'A software engineer with a steady trajectory at good companies; the profile supports a Yes.',
  analysis: { educational_pedigree: dim('Good'), company_pedigree: dim('Good'), trajectory: dim('Good'), is_software_engineer: dim('Great') },
});

const server = createServer((req, res) => {
  const url = req.url ?? '';
  if (req.method === 'POST' && url === '/v1/chat/completions') {
    let model = MODELS[0]!;
    let size = 0;
    req.on('data', (d: Buffer) => {
      // The model id sits near the start of the body; read no more than needed.
      if (size === 0) model = /"model"\s*:\s*"([^"]+)"/.exec(d.toString('utf8', 0, 400))?.[1] ?? model;
      size += d.length;
    });
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-stub',
          object: 'chat.completion',
          created: 0,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: Math.round(size / 4), completion_tokens: 120, total_tokens: Math.round(size / 4) + 120 },
        }),
      );
    });
    return;
  }
  if (url === '/v1/models') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ object: 'list', data: MODELS.map((id) => ({ id, object: 'model', max_model_len: 8192, root: id })) }));
  }
  if (url === '/health') return res.end();
  if (url === '/version') return res.end(JSON.stringify({ version: 'stub' }));
  res.writeHead(404);
  res.end();
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`stub listening on http://127.0.0.1:${(server.address() as { port: number }).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
