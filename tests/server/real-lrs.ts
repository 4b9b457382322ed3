/**
 * A real LRS for the tests: Learning Locker's statements service (npm `xapi-statements`, the
 * Express app of LearningLocker/xapi-statements) run in this process with its own in-memory models
 * and storage repos and its test auth and events repos (no MongoDB, no Redis), on 127.0.0.1. Only
 * the `statements` resource is mounted.
 */
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RealLrs {
  /** The xAPI base (…/xAPI); `statements` under it. */
  url: string;
  close(): Promise<void>;
}

export async function startRealLrs(): Promise<RealLrs> {
  const logs = mkdtempSync(join(tmpdir(), 'htl-lrs-'));
  // Read by its config module when first required.
  Object.assign(process.env, { AUTH_REPO: 'test', EVENTS_REPO: 'test', MODELS_REPO: 'memory', STORAGE_REPO: 'memory', EXPRESS_MORGAN_DIRECTORY: logs, FS_LOCAL_STORAGE_DIR: logs, WINSTON_CONSOLE_LEVEL: 'warn' });
  const require = createRequire(import.meta.url);
  const dist = 'xapi-statements/dist';
  const express = require('express') as () => { use(path: string, router: unknown): void; listen(port: number, host: string, done: () => void): Server };
  const config = require(`${dist}/config`).default;
  const presenter = require(`${dist}/expressPresenter`).default({
    llClientInfoEndpoint: config.llClientInfoEndpoint,
    customRoute: 'status',
    customRouteText: 'ok',
    morganDirectory: logs,
    bodyParserLimit: '5mb',
    service: require(`${dist}/serviceFactory`).default(),
    tracker: require(`${dist}/tracker`).default,
    translator: require(`${dist}/translatorFactory`).default(),
    logger: require(`${dist}/logger`).default,
  });
  const app = express();
  app.use(require(`${dist}/utils/constants`).statementsRoute, presenter.statementsRouter);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/xAPI`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
