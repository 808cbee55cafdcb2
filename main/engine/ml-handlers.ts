// Request handlers of the ML stages (features, cluster, infer, suggest, annotations).
import type { EngineContext } from './engine-context';
import type { Handlers } from './handlers';

export function createMlHandlers(_engine: EngineContext): Handlers {
  return {};
}
