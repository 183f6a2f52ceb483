/**
 * `node src/sim/main.ts [flags]`: a vLLM-compatible simulator serving Llama 3.2 1B, Gemma 3 4B and
 * Qwen 3 4B personas. Prints `qualbench-sim listening on http://HOST:PORT` once ready; exits 0 on
 * SIGTERM/SIGINT. See docs/simulator.md.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MODEL_SPECS, OPT_IN_MODEL_SPECS, modelSpec, DEFAULT_MAX_NUM_BATCHED_TOKENS, type LaunchOptions } from './models.ts';
import { CARD, kvArithmetic } from './card.ts';
import { DEFAULT_VLLM_VERSION, vllmBehaviour } from './vllm-version.ts';
import { AUTO_TOKENS_PER_S, startServer, type ServerOptions } from './server.ts';
import { parseFaults } from './faults.ts';
import { DEFAULT_RERUN_NOISE } from './generate.ts';

const HELP = `qualbench-sim: a vLLM-compatible simulator (OpenAI API) with model personas.

Usage: qualbench sim [options]   (in the repository: npm run sim -- [options])

  --host HOST            interface to bind (default 127.0.0.1)
  --port N               port (default 8000; 0 = any free port)
  --speed X|auto|instant multiply simulated time by X (e.g. 100); auto = per model, so that its
                         saturated throughput is --auto-tokens-per-s real; instant = answer at once (default 1)
  --auto-tokens-per-s N  with --speed auto: simulated tokens per real second per model (default ${AUTO_TOKENS_PER_S})
  --seed N               model seed: every persona decision (another seed = other weights; default 0)
  --run-seed N|random    this run's nondeterminism: which answers diverge at temperature 0 (default 0)
  --rerun-noise P        share of answers two runs with different --run-seed differ on (default 0.03; 0 = bit-exact)
  --generic-quality Q    for prompts of a task the simulator does not know (it fills the JSON shape the prompt
                         shows, choosing by the prompt's rubric): the share of right, well-formed answers
                         (0..1; default per model: Llama 0.6, Gemma 0.85, Qwen 0.9)
  --api-key KEY          require "Authorization: Bearer KEY" on /v1 paths (also env VLLM_API_KEY)
  --max-num-seqs N       running sequences per model (default 256)
  --max-model-len N      context length in tokens (default: with one --model, what vLLM would serve on the
                         modelled 16 GB card; otherwise 8192)
  --model ID             serve only this model, as vLLM does (once: single-model mode); repeated, or not
                         given: multi-model demo mode, several models each on its own simulated GPU; all of:
${MODEL_SPECS.map((m) => `                           ${m.id}`).join('\n')}
                         and on request: ${OPT_IN_MODEL_SPECS.map((m) => m.id).join(', ')} (thinking)
  --vllm-version V       the vLLM API to behave as: 0.11 (default; guided_* honoured, reasoning_content)
                         or 0.12+ (guided_* ignored, reasoning)
  --reasoning-parser P   qwen3: a thinking model's <think> text goes to the reasoning field, not content
  --gpu-memory-utilization F  share of the card's 16 GiB vLLM may use (default ${CARD.gpuMemoryUtilization}); sets the KV cache
  --max-num-batched-tokens N  per-step token budget (default ${DEFAULT_MAX_NUM_BATCHED_TOKENS}, vLLM's on GPUs under 70 GiB)
  --enforce-eager        no CUDA graphs: every engine step costs more (Qwen's 740 tok/s 5K-batch figure)
  --no-enable-prefix-caching  turn automatic prefix caching off (on by default, as in vLLM)
  --faults SPEC          inject faults into chat requests, e.g. "429:0.1,503:0.05,reset:0.02,hang:0.01"
                         (kinds: 429 500 503 reset hang malformed cut slow; rates 0..1; seeded)
  --help                 this text
`;

function positiveInt(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got \`${value}\``);
  return n;
}

/** Parse flags into server options; throws with a readable message on bad input. */
export function parseSimArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ServerOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      speed: { type: 'string' },
      'auto-tokens-per-s': { type: 'string' },
      seed: { type: 'string' },
      'run-seed': { type: 'string' },
      'rerun-noise': { type: 'string' },
      'generic-quality': { type: 'string' },
      'api-key': { type: 'string', multiple: true },
      'max-num-seqs': { type: 'string' },
      'max-model-len': { type: 'string' },
      model: { type: 'string', multiple: true },
      'gpu-memory-utilization': { type: 'string' },
      'max-num-batched-tokens': { type: 'string' },
      'enforce-eager': { type: 'boolean' },
      'enable-prefix-caching': { type: 'boolean' },
      'no-enable-prefix-caching': { type: 'boolean' },
      faults: { type: 'string' },
      'vllm-version': { type: 'string' },
      'reasoning-parser': { type: 'string' },
      'as-vllm': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  let speed: number | 'instant' | 'auto' = 1;
  if (values.speed !== undefined) {
    if (values.speed === 'instant' || values.speed === 'auto') speed = values.speed;
    else {
      speed = Number(values.speed);
      if (!Number.isFinite(speed) || speed <= 0) throw new Error(`--speed must be a positive number, \`auto\` or \`instant\`, got \`${values.speed}\``);
    }
  }
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got \`${values.seed}\``);
  const runSeedText = values['run-seed'];
  const runSeed = runSeedText === undefined ? 0 : runSeedText === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(runSeedText);
  if (!Number.isInteger(runSeed)) throw new Error(`--run-seed must be an integer or \`random\`, got \`${runSeedText}\``);
  const rerunNoise = values['rerun-noise'] === undefined ? DEFAULT_RERUN_NOISE : Number(values['rerun-noise']);
  if (!Number.isFinite(rerunNoise) || rerunNoise < 0 || rerunNoise > 1) throw new Error(`--rerun-noise must be a share from 0 to 1, got \`${values['rerun-noise']}\``);
  const genericQuality = values['generic-quality'] === undefined ? undefined : Number(values['generic-quality']);
  if (genericQuality !== undefined && !(genericQuality >= 0 && genericQuality <= 1)) throw new Error(`--generic-quality must be a share from 0 to 1, got \`${values['generic-quality']}\``);
  const models = values.model ?? [];
  for (const m of models) {
    if (!modelSpec(m)) throw new Error(`unknown --model \`${m}\`; the simulator serves ${[...MODEL_SPECS, ...OPT_IN_MODEL_SPECS].map((s) => s.id).join(', ')}`);
  }
  const autoTps = values['auto-tokens-per-s'] === undefined ? AUTO_TOKENS_PER_S : Number(values['auto-tokens-per-s']);
  if (!Number.isFinite(autoTps) || autoTps <= 0) throw new Error(`--auto-tokens-per-s must be a positive number, got \`${values['auto-tokens-per-s']}\``);
  const util = values['gpu-memory-utilization'] === undefined ? CARD.gpuMemoryUtilization : Number(values['gpu-memory-utilization']);
  if (!(util > 0 && util <= 1)) throw new Error(`--gpu-memory-utilization must be a share above 0 and at most 1, got \`${values['gpu-memory-utilization']}\``);
  if (values['enable-prefix-caching'] && values['no-enable-prefix-caching']) throw new Error('--enable-prefix-caching and --no-enable-prefix-caching contradict each other');
  const launch: LaunchOptions = {
    gpuMemoryUtilization: util,
    maxNumBatchedTokens: positiveInt('max-num-batched-tokens', values['max-num-batched-tokens'], DEFAULT_MAX_NUM_BATCHED_TOKENS),
    enforceEager: values['enforce-eager'] ?? false,
    prefixCaching: !values['no-enable-prefix-caching'],
  };
  const unique = [...new Set(models)];
  const maxModelLen = resolveMaxModelLen(unique, values['max-model-len'], util);
  const vllmVersion = vllmBehaviour(values['vllm-version'] ?? DEFAULT_VLLM_VERSION).version;
  const reasoningParser = values['reasoning-parser'] ?? null;
  if (reasoningParser !== null && reasoningParser !== 'qwen3') throw new Error(`--reasoning-parser: the simulator knows only \`qwen3\`, got \`${reasoningParser}\``);
  const envKey = env.VLLM_API_KEY;
  return {
    host: values.host ?? '127.0.0.1',
    port: positiveInt('port', values.port, 8000, 0),
    speed,
    autoTokensPerS: autoTps,
    seed,
    runSeed,
    rerunNoise,
    ...(genericQuality !== undefined ? { genericQuality } : {}),
    apiKeys: values['api-key'] ?? (envKey ? [envKey] : []),
    maxNumSeqs: positiveInt('max-num-seqs', values['max-num-seqs'], 256),
    maxModelLen,
    models: unique,
    launch,
    faults: values.faults ? parseFaults(values.faults) : {},
    vllmVersion,
    reasoningParser,
    ...(values['as-vllm'] ? { asVllm: true } : {}),
  };
}

/**
 * The context length, as vLLM decides it on the modelled card: with one model, `--max-model-len` or
 * else the model's native length if one such request fits its KV cache, else the largest that fits
 * (where vLLM refuses to start and names that value). An explicit length whose KV does not fit is
 * refused with vLLM's message. Multi-model (demo) mode keeps 8192.
 */
function resolveMaxModelLen(models: string[], text: string | undefined, util: number): number {
  const explicit = text === undefined ? undefined : positiveInt('max-model-len', text, 8192, 16);
  const ids = models.length > 0 ? models : MODEL_SPECS.map((m) => m.id);
  const len = explicit ?? (models.length === 1 ? kvArithmetic(modelSpec(models[0]!)!.architecture, { gpuMemoryUtilization: util }).maxModelLen : 8192);
  for (const id of ids) {
    const kv = kvArithmetic(modelSpec(id)!.architecture, { gpuMemoryUtilization: util });
    const gib = (b: number) => (b / 1024 ** 3).toFixed(2);
    if (kv.kvTokens < 16) throw new Error(`${id}: no available memory for the cache blocks on the modelled 16 GiB card (weights ${gib(kv.weightsBytes)} GiB). Try increasing \`gpu_memory_utilization\` when initializing the engine.`);
    if (len > kv.kvTokens) {
      throw new Error(
        `${id}: to serve at least one request with the models's max seq len (${len}), (${gib(len * kv.kvBytesPerToken)} GiB KV cache is needed, which is larger than the available KV cache memory (${gib(kv.kvBytes)} GiB). Based on the available memory, the estimated maximum model length is ${kv.kvTokens}. Try increasing \`gpu_memory_utilization\` or decreasing \`max_model_len\` when initializing the engine.`,
      );
    }
  }
  return len;
}

/** Run the simulator until SIGTERM/SIGINT. Resolves once it listens. */
export async function main(argv: string[]): Promise<void> {
  let options: ServerOptions | 'help';
  try {
    options = parseSimArgs(argv);
  } catch (e) {
    process.stderr.write(`qualbench-sim: ${(e as Error).message}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(HELP);
    return;
  }
  const server = await startServer(options);
  process.stdout.write(`qualbench-sim listening on ${server.url}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function isEntry(): boolean {
  const meta = import.meta as ImportMeta & { main?: boolean };
  if (typeof meta.main === 'boolean') return meta.main;
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return realpathSync(arg) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`qualbench-sim: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
