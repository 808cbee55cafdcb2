// A stand-in for the API client that state classes receive: `request` is a vi.fn the test scripts,
// `emit` delivers an engine event to whoever subscribed, `connect` a connection state.
import { vi } from 'vitest';
import type { EventName, EventPayload } from '../../../../shared/contract';
import type { ConnectionState } from '../../../../renderer/src/lib/api';
import type { StudioApi } from '../../../../renderer/src/lib/state/studio';

export function fakeApi(mode: 'web' | 'electron' = 'web') {
  const request = vi.fn();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const connection = new Set<(s: ConnectionState) => void>();
  const api: StudioApi = {
    mode,
    request: request as unknown as StudioApi['request'],
    on(event, cb) {
      const set = listeners.get(event) ?? new Set();
      set.add(cb as (p: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(cb as (p: unknown) => void);
    },
    onConnection(cb) {
      connection.add(cb);
      return () => connection.delete(cb);
    },
  };
  return {
    api,
    request,
    emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
      for (const cb of listeners.get(event) ?? []) cb(payload);
    },
    connect(state: ConnectionState): void {
      for (const cb of connection) cb(state);
    },
    /** Subscribers per event (the connection listener under 'connection'). */
    subscribers(): Record<string, number> {
      const out: Record<string, number> = Object.fromEntries([...listeners].filter(([, s]) => s.size > 0).map(([k, s]) => [k, s.size]));
      if (connection.size > 0) out.connection = connection.size;
      return out;
    },
  };
}
