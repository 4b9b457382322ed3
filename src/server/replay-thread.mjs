// The entry of a replay thread (src/server/replay-thread.ts): a worker starts with no TypeScript
// loader of its own, so it registers tsx (a dependency of the server) before it loads the code.
import { register } from 'tsx/esm/api';

register();
await import('./replay-thread.ts');
