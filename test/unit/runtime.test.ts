import { describe, expect, it } from 'vitest';

describe('runtime', () => {
  it('runs on Node 22 or newer (the node@24 devDependency, whatever the machine has)', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(22);
  });
});
