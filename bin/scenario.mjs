#!/usr/bin/env node
// The scenario CLI (`npm run scenario`, and the package bin): the prebuilt bundle when it matches the
// sources, else built again, else the TypeScript source through tsx (see scripts/cli-bundle.mjs).
import { loadCli } from '../scripts/cli-bundle.mjs';

const { run } = await loadCli();
process.exitCode = await run(process.argv.slice(2));
