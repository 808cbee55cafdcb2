// Entry of a data-parallel worker thread run from TypeScript sources (bin/s3gan.js, vitest): a worker
// thread does not inherit the main thread's loader, so register tsx here first, then load the task's
// worker module (workerData.source, a file URL).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.source);
