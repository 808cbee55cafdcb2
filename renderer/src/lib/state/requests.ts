// What state classes need from the API client: they receive it (lib/state/stores.ts passes the real
// one from lib/api.ts, tests pass fakes) instead of importing it.
import type { Client } from '../api';

export type Requests = Pick<Client, 'request'>;
