/** `qualbench sim`: the simulator in this process, until signalled. */
export async function cmdSim(argv: string[]): Promise<number> {
  const { main } = await import('../sim/main.ts');
  await main(argv);
  return -1; // keeps running until signalled
}
