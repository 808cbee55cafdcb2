// An in-memory engine for transport tests: records every call and lets tests push events.
import type { EventName, EventPayload, RequestName } from '../../../shared/contract';
import type { BridgeEngine } from '../../../main/bridge/api';

export interface FakeEngine extends BridgeEngine {
  calls: Array<{ name: RequestName; params: unknown }>;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  answers: Partial<Record<RequestName, (params: unknown) => unknown>>;
}

export function fakeEngine(answers: FakeEngine['answers'] = {}): FakeEngine {
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const engine: FakeEngine = {
    calls: [],
    answers,
    async request(name, params) {
      engine.calls.push({ name, params });
      const answer = engine.answers[name];
      if (!answer) throw Object.assign(new Error(`fake engine has no answer for ${name}`), {});
      return (await answer(params)) as never;
    },
    on(event, cb) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb as (p: unknown) => void);
      return () => set.delete(cb as (p: unknown) => void);
    },
    emit(event, payload) {
      for (const cb of listeners.get(event) ?? []) cb(payload);
    },
  };
  return engine;
}
