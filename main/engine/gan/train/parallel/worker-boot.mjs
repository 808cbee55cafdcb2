// Entry of a data-parallel worker thread: the engine runs from TypeScript sources through tsx (bin/s3gan.js,
// vitest), and a worker thread does not inherit the main thread's loader, so register tsx here first.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
