"""Reads the job's config.json (the app's RunConfig, generated from TrainConfig) and refuses what this
trainer cannot honour. There are no defaults here: a missing or unknown field stops the job at start.
"""
import json

from .augment import rotated_count
from .data import shard_problem
from .prng import js_round

# The `train` section the app writes (TRAIN_FIELDS with home 'train'); a test compares it to the schema.
TRAIN_KEYS = ["steps", "batch", "lrG", "lrD", "dSteps", "emaDecay", "emaStart", "diffaug", "rotatedFraction", "labeledFraction",
              "rotationWeightD", "rotationWeightG", "classifierWeight", "seed", "logEvery", "checkpointEvery", "keepCheckpoints",
              "milestoneEvery", "gridEvery", "evalEvery"]
# Fields a continued run may change (TRAIN_FIELDS resume 'change'): length and cadence, never the maths.
CHANGEABLE = ["steps", "logEvery", "checkpointEvery", "keepCheckpoints", "milestoneEvery", "gridEvery", "evalEvery"]
GAN_KEYS = ["resolution", "channels", "ch", "zDim", "hierarchicalZ", "numClasses", "embedYDim", "gSpectralNorm", "heads"]
GAN_OPTIONAL = ["dCh", "conditionSeed"]  # absent in old configs: D as wide as ch, seed unconditioned (the app's reading)
RUN_KEYS = ["format", "run", "method", "labels", "benchmark", "gan", "train", "classNames", "classIds", "createdAt"]


class ConfigError(Exception):
    pass


def load_config(path):
    c = json.load(open(path))
    check_keys("config.json", c, RUN_KEYS, [])
    if c["format"] != 1:
        raise ConfigError("config.json format %r; this trainer reads format 1" % c["format"])
    check_keys("config.json gan", c["gan"], GAN_KEYS, GAN_OPTIONAL)
    check_keys("config.json gan.heads", c["gan"]["heads"], ["projection", "rotation", "classifier"], [])
    check_keys("config.json train", c["train"], TRAIN_KEYS, [])
    return c


def check_keys(what, obj, required, optional):
    missing = [k for k in required if k not in obj]
    unknown = [k for k in obj if k not in required and k not in optional]
    if missing:
        raise ConfigError("%s lacks %s (this trainer has no defaults of its own)" % (what, ", ".join(missing)))
    if unknown:
        raise ConfigError("%s has fields this trainer cannot honour: %s (a newer app? update the job's s3gan_job package)" % (what, ", ".join(unknown)))


def labeled_per_batch(t):
    return max(1, js_round(t["batch"] * t["labeledFraction"]))


def counts(c, co_training):
    """Full-batch labeled and rotated counts, as the app's loop and data-parallel trainer compute them."""
    t = c["train"]
    labeled = labeled_per_batch(t) if co_training else 0
    rotated = rotated_count(t["batch"], t["rotatedFraction"]) if c["gan"]["heads"]["rotation"] else 0
    return labeled, rotated


def check_honourable(c, world, co_training):
    t = c["train"]
    if t["evalEvery"] > 0:
        raise ConfigError("evalEvery %d: in-training evaluation needs the app's feature encoder, which the job does not have. "
                          "Export the job with --eval-every 0 and evaluate the imported run in the app." % t["evalEvery"])
    labeled, rotated = counts(c, co_training)
    problem = shard_problem(t["batch"], world, labeled, rotated)
    if problem:
        raise ConfigError("cannot split the batch over %d processes: %s. Use a batch (and fractions) that split evenly, or fewer processes." % (world, problem))
    if rotated and rotated_count(t["batch"] // world, t["rotatedFraction"]) * world != rotated:
        raise ConfigError("rotated images per process (%d of batch %d) do not add up to %d for %d processes"
                          % (rotated_count(t["batch"] // world, t["rotatedFraction"]), t["batch"] // world, rotated, world))
    return labeled, rotated


def check_resume(job, stored):
    """A continued run keeps its model and maths; only length and cadence may change."""
    if job["gan"] != stored["gan"]:
        raise ConfigError("the run's model config differs from the job's config.json: %s vs %s" % (stored["gan"], job["gan"]))
    for k in ("method", "labels"):
        if job[k] != stored[k]:
            raise ConfigError("the run's %s is %r, the job's %r" % (k, stored[k], job[k]))
    bad = [k for k in TRAIN_KEYS if k not in CHANGEABLE and job["train"][k] != stored["train"][k]]
    if bad:
        raise ConfigError("the run was trained with different %s; a continued run may only change %s"
                          % (", ".join("%s (%r, job %r)" % (k, stored["train"][k], job["train"][k]) for k in bad), ", ".join(CHANGEABLE)))
