import { defineConfig } from 'vitest/config';
import { menuPlugin } from './src/dev/menu-plugin';

export default defineConfig({
  test: {
    reporters: ['default'],
    // Two files at a time, whichever project they belong to: a browser test spends much of its
    // time waiting on the page (rings, timers, frames) while a unit file uses the other core.
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
        // The trainee's page in Chromium: built once (globalSetup) and served by each file on its
        // own port, each test in a fresh browser profile, so two files can run side by side.
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
