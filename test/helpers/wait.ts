/** Poll a condition until it holds; throws after `timeoutMs` (a bound for a hung process, not a speed check). */
export async function waitFor(condition: () => boolean, { timeoutMs = 60_000, everyMs = 20 }: { timeoutMs?: number; everyMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
