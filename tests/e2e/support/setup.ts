/** Runs in every e2e file (vitest.config.ts, setupFiles): the file's shared Chromium (support/desk.ts) closes after it. */
import { afterAll } from 'vitest';
import { closeSharedBrowser } from './desk';

afterAll(closeSharedBrowser);
