// Request handlers of GAN training (train.*, runs.*, sample.grid).
import type { EngineContext } from './engine-context';
import type { Handlers } from './handlers';

export function createTrainHandlers(_engine: EngineContext): Handlers {
  return {};
}
