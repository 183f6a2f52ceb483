/** The timestamp in default run directory names: `20261124-080910` (UTC). */
export function runStamp(now: Date = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}
