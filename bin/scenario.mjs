#!/usr/bin/env node
// The scenario CLI as a package bin: runs the TypeScript source through tsx.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli/scenario.ts');
process.exitCode = await run(process.argv.slice(2));
