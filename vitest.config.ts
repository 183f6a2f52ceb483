import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

export default defineConfig({
  resolve: {
    // The package's own name means its sources here (the tests run from source); installed, `exports`
    // in package.json point at the build in dist/ (checked by test/e2e/package.test.ts). Same in tsconfig.json `paths`.
    alias: [
      { find: /^qualbench$/, replacement: src('index.ts') },
      { find: /^qualbench\/vitest$/, replacement: src('vitest-matchers.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests start real simulator and CLI processes; 2 shared cores are slow.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
