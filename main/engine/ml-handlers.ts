// Request handlers of the ML stages (features, cluster, infer, suggest, annotations). Long stages run
// as jobs (progress events, cancel); a stage whose input stage is missing fails before any job starts.
import type { EngineContext } from './base/engine-context';
import type { Handlers } from './base/handlers';
import { stageAnnotations } from './pipeline/annotations';
import { runClusterStage } from './pipeline/cluster-stage';
import { requireFeatures, runFeaturesStage } from './pipeline/features-stage';
import { runInferStage } from './pipeline/infer-stage';
import { loadMlCore, type MlCore } from './pipeline/ml-core';
import { suggestForProject } from './pipeline/suggest-stage';

export interface MlHandlerDeps {
  /** The ML core to use; the real one (loaded on first use) unless a test passes a fake. */
  core?: () => Promise<MlCore>;
}

export function createMlHandlers(engine: EngineContext, deps: MlHandlerDeps = {}): Handlers {
  let corePromise: Promise<MlCore> | null = null;
  const core = () => (corePromise ??= (deps.core ?? loadMlCore)());
  return {
    'features.run': async (params) => {
      const project = engine.project();
      const ml = await core();
      return engine.runJob('features', (job) => runFeaturesStage(project, ml, job, params));
    },
    'cluster.run': async (params) => {
      const project = engine.project();
      requireFeatures(project.dir);
      const ml = await core();
      return engine.runJob('cluster', (job) => runClusterStage(project, ml, job, params));
    },
    'infer.run': async (params) => {
      const project = engine.project();
      requireFeatures(project.dir);
      const ml = await core();
      return engine.runJob('infer', (job) => runInferStage(project, ml, job, params));
    },
    'suggest.get': async (params) => suggestForProject(engine.project(), params.n),
    'annotations.get': async () => {
      const project = engine.project();
      return stageAnnotations(project.dir, project.labelRevision());
    },
  };
}
