import type { Summary } from '../core/records.ts';

/** The first lines of both reports: whether the speed figures can be trusted (null when the summary does not say). */
export function speedValidityView(summary: Summary): { valid: boolean; headline: string; reasons: string[] } | null {
  const v = summary.speed_validity;
  if (!v) return null;
  if (!v.valid) {
    return {
      valid: false,
      headline: 'SPEED FIGURES INVALID: throughput, latency, cost per usable result and hours below cannot be trusted.',
      reasons: v.reasons,
    };
  }
  const shares = summary.groups.map((g) => g.speed.simulated?.engine_share).filter((x): x is number => typeof x === 'number');
  if (shares.length === 0) {
    // A real server: say what was checked, and what could not be (no /metrics: another client sharing the GPU would go unseen).
    const measured = summary.groups.filter((g) => g.speed.sent > 0);
    if (measured.length === 0) return { valid: true, headline: 'Speed figures: none measured (every answer came from the store or an import).', reasons: [] };
    const unchecked = measured.filter((g) => g.speed.server === null);
    if (unchecked.length === 0) return { valid: true, headline: "Speed figures: valid (the server's /metrics counters match what qualbench sent, so no other client shared it, and the client host kept up).", reasons: [] };
    return {
      valid: true,
      headline: `Speed figures: not checked against the server for ${unchecked.length} of ${measured.length} model × prompt versions (no /metrics counters): another client sharing the server would go unseen.`,
      reasons: [],
    };
  }
  return {
    valid: true,
    headline: `Speed figures: valid (simulated time from the simulator's clock; requests spent at least ${(Math.min(...shares) * 100).toFixed(1)}% of their time in flight inside the simulated engine).`,
    reasons: [],
  };
}
