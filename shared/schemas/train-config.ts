// THE training config (nanoGPT's configurator, one table): every field with its schema, its one-line
// doc, its CLI flag, where it lives in a run's config.json and what --resume may do with it. The
// contract's TrainParams, the engine's resolved settings, the CLI flags and help, the resume-conflict
// check, the exported job's config and the Train form's fields are all derived from TRAIN_FIELDS.
import { z } from 'zod';
import { Method } from './method';
import { SUPPORTED_RESOLUTIONS } from './gan-config';

/**
 * What --resume may do with a field: 'fixed' = must equal the run's value; 'change' = may differ (the
 * run's config is updated: length and cadence never change the maths); 'runtime' = not part of the
 * run at all (e.g. how many worker processes share the work).
 */
export type ResumeRule = 'fixed' | 'change' | 'runtime';

/** Where a run's config.json keeps the field: top level, the model config (`gan`) or `train`. */
export type Home = 'run' | 'gan' | 'train' | 'none';

/** Which part of the Train form shows it ('basic' always visible, 'advanced' folded). */
export type FormGroup = 'basic' | 'advanced';

interface FieldSpec<S extends z.ZodType = z.ZodType, H extends Home = Home> {
  schema: S;
  doc: string;
  /** CLI flag without '--'. */
  flag: string;
  resume: ResumeRule;
  home: H;
  form: FormGroup;
  /** Short label for the form. */
  label: string;
}

const field = <S extends z.ZodType, H extends Home>(spec: FieldSpec<S, H>): FieldSpec<S, H> => spec;
const int = (min: number, max: number) => z.number().int().min(min).max(max);
const fraction = () => z.number().gt(0).max(1);
const weight = () => z.number().min(0).max(100);

export const TRAIN_FIELDS = {
  method: field({ schema: Method, flag: 'method', resume: 'fixed', home: 'run', form: 'basic', label: 'Method', doc: 'which of the paper\'s methods labels the real images and which D heads train' }),
  labels: field({ schema: z.enum(['project', 'truth']), flag: 'labels', resume: 'fixed', home: 'run', form: 'advanced', label: 'Labels', doc: '"truth" trains on evaluation truth: the fully supervised upper bound, a marked benchmark run' }),
  resolution: field({ schema: int(8, 128).refine((r) => SUPPORTED_RESOLUTIONS.includes(r), { message: `must be one of ${SUPPORTED_RESOLUTIONS.join(', ')}` }), flag: 'resolution', resume: 'fixed', home: 'gan', form: 'basic', label: 'Resolution (px)', doc: 'training image size (images are resized to it)' }),
  ch: field({ schema: int(1, 512), flag: 'ch', resume: 'fixed', home: 'gan', form: 'basic', label: 'G width (ch)', doc: 'G\'s base channel width' }),
  dCh: field({ schema: int(1, 512), flag: 'd-ch', resume: 'fixed', home: 'gan', form: 'advanced', label: 'D width', doc: 'D\'s base channel width (default: D\'s widest block as wide as G\'s)' }),
  steps: field({ schema: int(1, 10_000_000), flag: 'steps', resume: 'change', home: 'train', form: 'basic', label: 'Steps', doc: 'total G updates of the run (resume may extend it)' }),
  batch: field({ schema: int(1, 1024), flag: 'batch', resume: 'fixed', home: 'train', form: 'basic', label: 'Batch', doc: 'images per D and G update' }),
  lrG: field({ schema: z.number().positive().max(1), flag: 'lr-g', resume: 'fixed', home: 'train', form: 'advanced', label: 'lr G', doc: 'Adam learning rate of G (β1 = 0, β2 = 0.999)' }),
  lrD: field({ schema: z.number().positive().max(1), flag: 'lr-d', resume: 'fixed', home: 'train', form: 'advanced', label: 'lr D', doc: 'Adam learning rate of D (2–5× lr G)' }),
  dSteps: field({ schema: int(1, 10), flag: 'd-steps', resume: 'fixed', home: 'train', form: 'advanced', label: 'D steps', doc: 'D updates per G update' }),
  emaDecay: field({ schema: z.number().min(0).max(1), flag: 'ema', resume: 'fixed', home: 'train', form: 'advanced', label: 'EMA decay', doc: 'decay of the G weight average used for samples and metrics' }),
  emaStart: field({ schema: int(0, 10_000_000), flag: 'ema-start', resume: 'fixed', home: 'train', form: 'advanced', label: 'EMA start', doc: 'G step from which the average starts (before: a copy of G)' }),
  diffaug: field({ schema: z.boolean(), flag: 'diffaug', resume: 'fixed', home: 'train', form: 'basic', label: 'DiffAugment', doc: 'translation, cutout and colour applied alike to real and fake D inputs (helps small data)' }),
  rotatedFraction: field({ schema: fraction(), flag: 'rotated-fraction', resume: 'fixed', home: 'train', form: 'advanced', label: 'Rotated fraction', doc: 'share of each batch whose 90/180/270° rotations feed the rotation head' }),
  labeledFraction: field({ schema: fraction(), flag: 'labeled-fraction', resume: 'fixed', home: 'train', form: 'advanced', label: 'Labeled fraction', doc: 'share of each real batch drawn from the hand-labeled images (co-training)' }),
  rotationWeightD: field({ schema: weight(), flag: 'rotation-weight-d', resume: 'fixed', home: 'train', form: 'advanced', label: 'Rotation weight D', doc: 'weight of the real-image rotation loss in L_D (paper: 1.0)' }),
  rotationWeightG: field({ schema: weight(), flag: 'rotation-weight-g', resume: 'fixed', home: 'train', form: 'advanced', label: 'Rotation weight G', doc: 'weight of the fake-image rotation loss in L_G (paper: 0.2)' }),
  classifierWeight: field({ schema: weight(), flag: 'classifier-weight', resume: 'fixed', home: 'train', form: 'advanced', label: 'Classifier weight', doc: 'weight of the co-training classifier loss in L_D (paper: 1.0)' }),
  seed: field({ schema: int(0, 2 ** 31 - 1), flag: 'seed', resume: 'fixed', home: 'train', form: 'advanced', label: 'Seed', doc: 'initial weights, batches, z and augmentation draws (default: random)' }),
  logEvery: field({ schema: int(1, 1_000_000), flag: 'log-every', resume: 'change', home: 'train', form: 'advanced', label: 'Log every', doc: 'steps between metrics.jsonl rows and progress events' }),
  checkpointEvery: field({ schema: int(1, 10_000_000), flag: 'checkpoint-every', resume: 'change', home: 'train', form: 'advanced', label: 'Checkpoint every', doc: 'steps between checkpoints' }),
  keepCheckpoints: field({ schema: int(1, 1000), flag: 'keep-checkpoints', resume: 'change', home: 'train', form: 'advanced', label: 'Keep checkpoints', doc: 'newest checkpoints kept, besides milestones' }),
  milestoneEvery: field({ schema: int(1, 10_000_000), flag: 'milestone-every', resume: 'change', home: 'train', form: 'advanced', label: 'Milestone every', doc: 'checkpoints at multiples of this are kept forever' }),
  gridEvery: field({ schema: int(0, 10_000_000), flag: 'grid-every', resume: 'change', home: 'train', form: 'advanced', label: 'Grid every', doc: 'steps between sample grids (0 = only at the end)' }),
  evalEvery: field({ schema: int(0, 10_000_000), flag: 'eval-every', resume: 'change', home: 'train', form: 'advanced', label: 'Evaluate every', doc: 'steps between FD-SS / KID-SS / CAS evaluations (0 = only at the end)' }),
  workers: field({ schema: int(1, 16), flag: 'workers', resume: 'runtime', home: 'none', form: 'advanced', label: 'Workers', doc: 'data-parallel processes on the CPU paths (default: one per core); may change on resume' }),
};

export type TrainField = keyof typeof TRAIN_FIELDS;
export const TRAIN_FIELD_NAMES = Object.keys(TRAIN_FIELDS) as TrainField[];

type Shape = { [K in TrainField]: (typeof TRAIN_FIELDS)[K]['schema'] };
type OptionalShape = { [K in TrainField]: z.ZodOptional<Shape[K]> };

function mapFields<T>(f: <K extends TrainField>(k: K) => T): Record<TrainField, T> {
  return Object.fromEntries(TRAIN_FIELD_NAMES.map((k) => [k, f(k)])) as Record<TrainField, T>;
}

const shape = mapFields((k) => TRAIN_FIELDS[k].schema) as unknown as Shape;

/** A fully resolved config (every field has a value; `workers` stays a run-time choice). */
export const TrainConfig = z.object(shape).partial({ workers: true }).strict();
export type TrainConfig = z.infer<typeof TrainConfig>;

/** What a caller sends: any subset of fields (the rest take their defaults), plus `resume`. */
export const TrainConfigFields = z.object(mapFields((k) => TRAIN_FIELDS[k].schema.optional()) as unknown as OptionalShape);

/** Fields kept in a run's `train` section, in table order. */
export const TRAIN_SECTION = TRAIN_FIELD_NAMES.filter((k) => TRAIN_FIELDS[k].home === 'train');
type TrainSectionKey = { [K in TrainField]: (typeof TRAIN_FIELDS)[K]['home'] extends 'train' ? K : never }[TrainField];
/** The `train` section of a run's config.json. */
export type TrainSettings = Pick<TrainConfig, TrainSectionKey>;
export const TrainSettingsSchema = TrainConfig.pick(Object.fromEntries(TRAIN_SECTION.map((k) => [k, true])) as { [K in TrainSectionKey]: true }).strict();

/** The one-line help of every flag, with the defaults of each place a run may train, for `s3gan train --help`. */
export function flagHelp(defaults: Record<string, Partial<Record<TrainField, unknown>>> = {}): string[] {
  return TRAIN_FIELD_NAMES.flatMap((k) => {
    const f = TRAIN_FIELDS[k];
    const arg = fieldKind(k) === 'boolean' ? '' : fieldKind(k) === 'choice' ? ` ${(f.schema as z.ZodEnum).options.join('|')}` : ' N';
    const values = Object.entries(defaults).filter(([, d]) => d[k] !== undefined).map(([where, d]) => `${where} ${String(d[k])}`);
    const doc = f.doc + (values.length ? ` [default: ${values.join(', ')}]` : '');
    const head = `  --${f.flag}${arg}`;
    return head.length < 30 ? [head.padEnd(30) + doc] : [head, ' '.repeat(30) + doc];
  });
}

/** What kind of value a field takes: the CLI parses by it, the form picks its input by it. */
export function fieldKind(k: TrainField): 'number' | 'boolean' | 'choice' {
  const s = TRAIN_FIELDS[k].schema;
  return s instanceof z.ZodBoolean ? 'boolean' : s instanceof z.ZodNumber ? 'number' : 'choice';
}

/** The CLI parser's spec: flag → value kind. */
export function flagKinds(): Record<string, 'number' | 'boolean' | 'string'> {
  return Object.fromEntries(TRAIN_FIELD_NAMES.map((k) => {
    const kind = fieldKind(k);
    return [TRAIN_FIELDS[k].flag, kind === 'choice' ? 'string' : kind];
  }));
}

/** CLI flag (as parsed, camel-cased) → field. Flags whose name differs from the key (--ema) map explicitly. */
export function fieldOfFlag(flag: string): TrainField | undefined {
  return TRAIN_FIELD_NAMES.find((k) => TRAIN_FIELDS[k].flag === flag);
}
