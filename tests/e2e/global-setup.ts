/** Builds the trainee's page once per test run; each test file serves it on its own port. */
import type { TestProject } from 'vitest/node';
import { buildTraineePage, E2E_DIST } from './support/build';

export default async function setup(project: TestProject): Promise<void> {
  await buildTraineePage(E2E_DIST);
  project.provide('deskDist', E2E_DIST);
}

declare module 'vitest' {
  export interface ProvidedContext {
    deskDist: string;
  }
}
