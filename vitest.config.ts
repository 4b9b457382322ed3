import { defineConfig } from 'vitest/config';
import { menuPlugin } from './src/dev/menu-plugin';

export default defineConfig({
  test: {
    reporters: ['default'],
    // Unit files two at a time (the machine has two cores); the browser files one at a time after
    // them (below): two browsers at once starve each other's frames and the tests that time a call.
    // `npm test` (scripts/test.mjs) runs the two projects side by side instead, in two processes,
    // the unit files one at a time on the core the browser files leave idle.
    maxWorkers: 2,
    projects: [
      {
        // The menu's view of a caller file, as the build makes it (src/game/catalog.ts reads it).
        plugins: [menuPlugin()],
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/e2e/**', '**/node_modules/**'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        // The trainee's page in Chromium: built once (globalSetup), one browser at a time, one
        // Chromium per file with a fresh context per desk (setupFiles closes it after the file).
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/global-setup.ts'],
          setupFiles: ['tests/e2e/support/setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // A browser test that fails is run once more before it counts as failed: on two shared
          // cores a frame can come late enough to race a driver's key with the desk's next state
          // (two one-offs in CI on 2026-11-30, each passing on every other run). A test that fails
          // twice still fails, and vitest's output shows which passed only on the second try.
          retry: 1,
        },
      },
    ],
  },
});
