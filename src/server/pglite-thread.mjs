// The entry of the PGlite thread (src/server/pglite-thread.ts): a worker starts with no TypeScript
// loader of its own (under vitest, or when the process was not started by tsx), so it registers tsx
// (a dependency of the server) before it loads the thread's code.
import { register } from 'tsx/esm/api';

register();
await import('./pglite-thread.ts');
