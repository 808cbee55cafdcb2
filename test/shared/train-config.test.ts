// The one TrainConfig table and what is derived from it: defaults per backend and image size, the
// contract's params, the CLI's flags and help, and the resume rules.
import { describe, expect, it } from 'vitest';
import { flagHelp, flagKinds, fieldOfFlag, TRAIN_FIELD_NAMES, TRAIN_FIELDS, TrainConfig, trainDefaults, TrainParams, resolveTrainConfig } from '../../shared/contract';
import { checkResumeFlags, resumedConfig } from '../../main/engine/gan/train/train-request';
import { parseRunConfig, trainConfigOf, trainSection, type RunConfig } from '../../main/engine/gan/run/run-config';
import { makeGanConfig } from '../../main/engine/models/gan-config';

const wasm = { backend: 'wasm' as const, gpu: false, projectResolution: 28 };

describe('trainDefaults: one function of backend and image size', () => {
  it('is smaller on wasm/cpu than on a GPU and never above the project resolution', () => {
    const gpu = trainDefaults({ backend: 'tensorflow', gpu: true, projectResolution: 128 });
    const cpuish = trainDefaults({ ...wasm, projectResolution: 128 });
    const slow = trainDefaults({ backend: 'cpu', gpu: false, projectResolution: 128 });
    expect([gpu.resolution, cpuish.resolution, slow.resolution]).toEqual([64, 32, 16]);
    expect(cpuish.ch * cpuish.batch).toBeLessThan(gpu.ch * gpu.batch);
    expect(slow.ch * slow.batch).toBeLessThan(cpuish.ch * cpuish.batch);
    expect(trainDefaults(wasm).resolution).toBe(32); // MNIST 28 px → the next supported size
    expect(trainDefaults({ ...wasm, projectResolution: 16 }).resolution).toBe(16);
    expect(gpu.emaDecay).toBe(0.9999);
    expect(cpuish.lrD).toBeGreaterThanOrEqual(2 * cpuish.lrG);
  });

  it('fills dependent defaults from what was chosen: D width from ch, cadence from steps', () => {
    expect(trainDefaults(wasm, { ch: 12 }).dCh).toBe(24);
    expect(trainDefaults(wasm, { resolution: 64, ch: 12 }).dCh).toBe(12);
    expect(trainDefaults(wasm, { steps: 14 })).toMatchObject({ logEvery: 1, checkpointEvery: 3, gridEvery: 3, emaStart: 1 });
    expect(trainDefaults(wasm, { steps: 20_000 })).toMatchObject({ logEvery: 10, checkpointEvery: 200, emaStart: 200 });
  });

  it('resolves to a config that passes the schema, with every field but workers', () => {
    const c = resolveTrainConfig(wasm, { seed: 7, batch: undefined, lrG: 1e-3 });
    expect(TrainConfig.parse(c)).toEqual(c);
    expect(c).toMatchObject({ seed: 7, batch: 32, lrG: 1e-3 });
    expect(Object.keys(c).sort()).toEqual(TRAIN_FIELD_NAMES.filter((k) => k !== 'workers').sort());
  });
});

describe('what is derived from TRAIN_FIELDS', () => {
  it('TrainParams takes every field plus resume, and rejects impossible values', () => {
    expect(Object.keys(TrainParams.shape).sort()).toEqual([...TRAIN_FIELD_NAMES, 'resume'].sort());
    expect(TrainParams.safeParse({ resolution: 24 }).success).toBe(false);
    expect(TrainParams.safeParse({ rotatedFraction: 0 }).success).toBe(false);
    expect(TrainParams.safeParse({ emaDecay: 0.99, rotationWeightG: 0.5 }).success).toBe(true);
  });

  it('the CLI has one flag per field, help text for each, and maps --ema to emaDecay', () => {
    const kinds = flagKinds();
    expect(Object.keys(kinds)).toHaveLength(TRAIN_FIELD_NAMES.length);
    expect(kinds).toMatchObject({ ema: 'number', diffaug: 'boolean', method: 'string', 'rotated-fraction': 'number' });
    expect(fieldOfFlag('ema')).toBe('emaDecay');
    const help = flagHelp().join('\n');
    for (const k of TRAIN_FIELD_NAMES) expect(help).toContain(`--${TRAIN_FIELDS[k].flag}`);
    expect(help).toMatch(/--method single\|random\|/);
  });
});

describe('resume rules', () => {
  const stored: RunConfig = {
    format: 1, run: 'r1', method: 's3gan', labels: 'project', benchmark: false,
    gan: makeGanConfig({ resolution: 16, ch: 4, channels: 1, numClasses: 3, heads: { projection: true, rotation: true, classifier: true } }),
    train: trainSection(resolveTrainConfig(wasm, { seed: 1, resolution: 16, ch: 4 })), classNames: ['a', 'b', 'c'], classIds: ['a', 'b', 'c'], createdAt: 'now',
  };

  it('fixed fields must match (each named by its flag); change fields update the run; workers is free', () => {
    const conflict = () => checkResumeFlags(stored, { resume: 'r1', rotatedFraction: 0.5, emaDecay: 0.9 });
    expect(conflict).toThrow(/--rotated-fraction 0.5 \(the run has 0.25\)/);
    expect(conflict).toThrow(/--ema 0.9 \(the run has 0.995\)/);
    expect(() => checkResumeFlags(stored, { resume: 'r1', workers: 2, steps: 9000, evalEvery: 500, seed: 1 })).not.toThrow();
    const next = resumedConfig(stored, { resume: 'r1', steps: 9000, evalEvery: 500, workers: 2 });
    expect(next.train).toMatchObject({ steps: 9000, evalEvery: 500, batch: stored.train.batch });
    expect('workers' in next.train).toBe(false);
  });

  it('reads runs written before the loss weights were fields with the paper\'s weights', () => {
    const { rotationWeightD: _a, rotationWeightG: _b, classifierWeight: _c, ...old } = stored.train;
    const read = parseRunConfig({ ...stored, train: old });
    expect(trainConfigOf(read)).toMatchObject({ rotationWeightD: 1, rotationWeightG: 0.2, classifierWeight: 1, dCh: 4 }); // configs without dCh: D as wide as ch
  });
});
