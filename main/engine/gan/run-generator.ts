// The EMA generator of a run at a checkpoint, for grids, `s3gan sample`, metrics and export.
import * as tf from '@tensorflow/tfjs';
import { ContractError } from '../../../shared/contract';
import { createGenerator } from '../models/generator';
import { disposeNet, type Net } from '../models/ops';
import { checkpointPath, listCheckpoints, loadCheckpoint } from './checkpoint';
import { Prng } from '../base/prng';
import type { RunConfig } from './run-config';
import { readRunConfig } from './run-store';

export interface RunGenerator {
  config: RunConfig;
  step: number;
  g: Net;
  dispose(): void;
}

export function loadRunGenerator(dir: string, step?: number): RunGenerator {
  const config = readRunConfig(dir);
  const steps = listCheckpoints(dir);
  const chosen = step ?? steps[steps.length - 1];
  if (chosen === undefined) throw new ContractError('NOT_FOUND', `run ${config.run} has no checkpoint yet`);
  if (!steps.includes(chosen)) throw new ContractError('NOT_FOUND', `run ${config.run} has no checkpoint at step ${chosen} (have: ${steps.join(', ') || 'none'})`);
  const { arrays } = loadCheckpoint(checkpointPath(dir, chosen));
  const g = createGenerator(config.gan, new Prng(0));
  try {
    const assign = (name: string, v: tf.Variable) => {
      const a = arrays.get(name);
      if (!a) throw new ContractError('IO', `checkpoint lacks ${name}`);
      tf.tidy(() => v.assign(tf.tensor(a.data, a.shape)));
    };
    for (const [name, v] of Object.entries(g.weights)) assign(`ema/${name}`, v);
    for (const [name, s] of Object.entries(g.sn)) {
      assign(`g_sn/${name}/u`, s.u);
      assign(`g_sn/${name}/v`, s.v);
    }
  } catch (e) {
    disposeNet(g);
    throw e;
  }
  return { config, step: chosen, g, dispose: () => disposeNet(g) };
}
