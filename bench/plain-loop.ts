/**
 * The floor: a minimal loop over the openai SDK — read the dataset, render the same prompt,
 * send at a fixed concurrency, keep nothing. What any harness must come close to.
 * Usage: node bench/plain-loop.ts <project-root> <base-url> <model> <concurrency>
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import OpenAI from 'openai';

const [root, baseURL, model, conc] = process.argv.slice(2) as [string, string, string, string];
const concurrency = Number(conc);
const env = Handlebars.create();
env.registerHelper('json', (v: unknown) => JSON.stringify(v, null, 2));
const dir = join(root, 'prompts/candidate-screening/v2');
const system = env.compile(readFileSync(join(dir, 'system.hbs'), 'utf8'), { noEscape: true });
const user = env.compile(readFileSync(join(dir, 'user.hbs'), 'utf8'), { noEscape: true });
const client = new OpenAI({ baseURL, apiKey: 'EMPTY', maxRetries: 0 });

const lines = createInterface({ input: createReadStream(join(root, 'datasets/candidates-golden/data.jsonl')), crlfDelay: Infinity })[Symbol.asyncIterator]();
let done = 0;
let failed = 0;
async function worker(): Promise<void> {
  for (;;) {
    const next = await lines.next();
    if (next.done) return;
    const row = JSON.parse(next.value) as { candidate: unknown };
    try {
      await client.chat.completions.create({
        model,
        messages: [
          { role: 'system', content: system({ candidate: row.candidate }) },
          { role: 'user', content: user({ candidate: row.candidate }) },
        ],
        temperature: 0,
        max_tokens: 768,
      });
      done++;
    } catch {
      failed++;
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
process.stderr.write(JSON.stringify({ done, failed, max_rss_kb: process.resourceUsage().maxRSS }) + '\n');
