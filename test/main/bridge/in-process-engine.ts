// The real engine behind the bridge, in this process (no child): requests validated as the engine child
// does, events fanned out to the bridge's listeners. For bridge tests that need real label state.
import type { EventName, RequestName } from '../../../shared/contract';
import type { BridgeEngine } from '../../../main/bridge/api';
import type { Handler } from '../../../main/engine/base/handlers';
import { parseIncoming } from '../../../main/engine/jobs/validate';
import { createEngine, type Engine } from '../../../main/engine/service';

export function inProcessEngine(recentFile: string): BridgeEngine & { dispose(): Promise<void> } {
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const emit = (event: EventName, payload: unknown) => listeners.get(event)?.forEach((cb) => cb(payload));
  const engine: Engine = createEngine({ mode: 'web', recentFile, watch: false, emit: emit as never });
  return {
    async request(name, params) {
      const handler = engine.handlers[name as RequestName] as Handler<RequestName>;
      return (await handler(parseIncoming(name, params).params as never, { emit: emit as never })) as never;
    },
    on(event, cb) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb as (p: unknown) => void);
      return () => set.delete(cb as (p: unknown) => void);
    },
    dispose: () => engine.dispose(),
  };
}
