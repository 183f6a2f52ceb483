import { PROJECTION_SIZES, type Cost, type Pricing } from '../core/records.ts';
import { round } from './stats.ts';

/** What the cost of a set of answers is computed from. */
export interface CostInputs {
  items: number;
  usable: number;
  /** Measured successful sent requests per second; null when nothing was sent. */
  requestsPerS: number | null;
  /** The simulator's speed factor (measured ÷ factor = GPU-equivalent: the effective speed read from its clock, or its nominal speed); 'instant' = no speed to speak of; null = a real server. */
  speedFactor: number | 'instant' | null;
  meanPromptTokens: number | null;
  meanCompletionTokens: number | null;
  pricing: Pricing | undefined;
}

const maybe = (x: number | null, digits = 6): number | null => (x === null || !Number.isFinite(x) ? null : round(x, digits));

/** Requests per second on the modelled GPU: measured ÷ the simulator's speed; null in instant mode. */
export function gpuEquivalentRate(requestsPerS: number | null, speedFactor: number | 'instant' | null): number | null {
  if (requestsPerS === null || requestsPerS <= 0 || speedFactor === 'instant') return null;
  return speedFactor === null ? requestsPerS : requestsPerS / speedFactor;
}

/** USD per request on a hosted API, from mean token counts. */
export function hostedUsdPerRequest(price: { input_per_mtok: number; output_per_mtok: number }, meanPrompt: number | null, meanCompletion: number | null): number | null {
  if (meanPrompt === null || meanCompletion === null) return null;
  return (meanPrompt * price.input_per_mtok + meanCompletion * price.output_per_mtok) / 1e6;
}

/** USD per request self-hosted: the GPU's hourly price over the requests it serves in an hour. */
export function selfHostedUsdPerRequest(gpuPerHour: number, rps: number | null): number | null {
  return rps === null ? null : gpuPerHour / 3600 / rps;
}

/**
 * Cost per 1K requests and per 1K usable results, seconds per usable result and projections for
 * 100K, 200K and 1M candidates. Time assumes the measured throughput holds (a saturated server does).
 */
export function computeCost(c: CostInputs): Cost {
  const rps = gpuEquivalentRate(c.requestsPerS, c.speedFactor);
  const usableRate = c.items > 0 ? c.usable / c.items : null;
  const perUsable = (perRequest: number | null): number | null =>
    perRequest === null || !usableRate ? null : (perRequest * 1000) / usableRate;
  const selfPerRequest = c.pricing?.self_hosted ? selfHostedUsdPerRequest(c.pricing.self_hosted.gpu_per_hour, rps) : null;
  const hosted = (c.pricing?.hosted ?? []).map((h) => ({ provider: h.provider, perRequest: hostedUsdPerRequest(h, c.meanPromptTokens, c.meanCompletionTokens) }));
  return {
    requests_per_s: maybe(rps, 4),
    speed_factor: typeof c.speedFactor === 'number' ? c.speedFactor : null,
    usable_rate: maybe(usableRate),
    seconds_per_usable: rps === null || !usableRate ? null : round(1 / rps / usableRate, 6),
    self_hosted: c.pricing?.self_hosted
      ? {
          gpu: c.pricing.self_hosted.gpu ?? null,
          gpu_per_hour: c.pricing.self_hosted.gpu_per_hour,
          usd_per_1k_requests: maybe(selfPerRequest === null ? null : selfPerRequest * 1000),
          usd_per_1k_usable: maybe(perUsable(selfPerRequest)),
        }
      : null,
    hosted: hosted.map((h) => ({
      provider: h.provider,
      usd_per_1k_requests: maybe(h.perRequest === null ? null : h.perRequest * 1000),
      usd_per_1k_usable: maybe(perUsable(h.perRequest)),
    })),
    projections: PROJECTION_SIZES.map((n) => ({
      candidates: n,
      hours: rps === null ? null : round(n / rps / 3600, 4),
      usable: usableRate === null ? null : Math.round(n * usableRate),
      self_hosted_usd: selfPerRequest === null ? null : round(n * selfPerRequest, 2),
      hosted_usd: hosted.map((h) => ({ provider: h.provider, usd: h.perRequest === null ? null : round(n * h.perRequest, 2) })),
    })),
  };
}
