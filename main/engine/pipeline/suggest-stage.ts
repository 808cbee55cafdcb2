// suggest.get over a project: current labels and exclusions from the store, cluster and classifier
// opinions from whichever stages have finished (either one is enough).
import { ContractError, type SuggestResult } from '../../../shared/contract';
import type { OpenProject } from '../base/engine-context';
import { readClusters } from './cluster-stage';
import { readInfer } from './infer-stage';
import { rankSuggestions } from './suggest';

export const DEFAULT_SUGGESTIONS = 20;

export async function suggestForProject(project: OpenProject, n = DEFAULT_SUGGESTIONS): Promise<SuggestResult> {
  const clusters = readClusters(project.dir);
  const infer = readInfer(project.dir);
  if (!clusters && !infer) throw new ContractError('STAGE_MISSING', 'no clusters or inferred labels yet: run `s3gan features` and `s3gan cluster` first');
  const ds = await project.loadDataset();
  const items = rankSuggestions({ ids: ds.ids, labeled: Array.from(ds.handLabels, (l) => l >= 0), clusters, infer }, n);
  return {
    items,
    basedOn: {
      clusters: clusters !== null,
      infer: infer !== null,
      inferStale: infer !== null && infer.labelRevision !== project.labelRevision(),
    },
  };
}
