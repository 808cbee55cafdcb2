"""The job's entry point: `python -m s3gan_job --job DIR` (under torchrun for several processes).

Reads DIR/config.json and DIR/data/, trains into DIR/run/ in the app's run format (config.json,
labels.json, state.json, metrics.jsonl, checkpoints/, grids/), continuing from the newest checkpoint there.
The loop is main/engine/gan/train/loop.ts: dSteps D updates then one G update per step, every rank
drawing the same full batches from the ported sampler and training on its shard of them.
"""
import argparse
import hashlib
import os
import shutil
import sys
import time

import numpy as np
import torch

from . import checkpoints as ck
from .augment import draw_augment_params, shard_augment
from .config import ConfigError, check_honourable, check_resume, labeled_per_batch, load_config
from .data import BatchSampler, DataError, load_data, shard_fake, shard_real, shard_rows
from .dist import World
from .grid import write_grid
from .log import RunLog, write_json, write_origin, write_state
from .model import BnMode, generate, one_hot
from .prng import Prng
from .step import Models, Stepper

FREEZE_STREAM = 4242  # test hook only: latents for frozen G batch-norm statistics


def parse(argv):
    ap = argparse.ArgumentParser(prog="s3gan_job", description=__doc__.split("\n")[0])
    ap.add_argument("--job", required=True, help="job folder (config.json, data/)")
    ap.add_argument("--run", help="run folder to write (default: JOB/run)")
    ap.add_argument("--bf16", action="store_true", help="bfloat16 autocast of the forward passes (off: float32 like the app)")
    ap.add_argument("--threads", type=int, help="torch intra-op threads per process")
    ap.add_argument("--timeout", type=float, default=600, help="seconds a process waits for the others before the job fails")
    ap.add_argument("--freeze-g-bn", action="store_true", help=argparse.SUPPRESS)  # tests: G BN on fixed statistics
    ap.add_argument("--rank-checksums", action="store_true", help=argparse.SUPPRESS)  # tests: every rank's final state hash
    ap.add_argument("--crash-at-step", type=int, help=argparse.SUPPRESS)  # tests: one rank dies after this step
    ap.add_argument("--crash-rank", type=int, default=1, help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def frozen_bn(m, seed):
    rng = Prng.derive(seed, FREEZE_STREAM)
    cfg, n = m.cfg, 16
    z = torch.tensor(np.asarray(rng.normals(n * cfg["zDim"]), dtype=np.float32), device=m.device).reshape(n, -1)
    y = one_hot([rng.int(cfg["numClasses"]) for _ in range(n)], cfg["numClasses"], m.device)
    mode = BnMode("collect")
    with torch.no_grad():
        generate(cfg, m.g, z, y, mode)
    return BnMode("standing", mode.stats)


def state_hash(m):
    h = hashlib.sha256()
    for name, _, a in ck.model_arrays(m):
        h.update(name.encode())
        h.update(np.ascontiguousarray(a, dtype="<f4").tobytes())
    return h.hexdigest()


class Job:
    def __init__(self, a, world):
        self.a, self.world = a, world
        self.config = load_config(os.path.join(a.job, "config.json"))
        self.data = load_data(os.path.join(a.job, "data"))
        self.run_dir = a.run or os.path.join(a.job, "run")
        c = self.config
        if self.data["size"] != c["gan"]["resolution"] or self.data["channels"] != c["gan"]["channels"] or self.data["numClasses"] != c["gan"]["numClasses"]:
            raise DataError("data is %dpx, %d channels, %d classes; config.json says %dpx, %d, %d" % (
                self.data["size"], self.data["channels"], self.data["numClasses"], c["gan"]["resolution"], c["gan"]["channels"], c["gan"]["numClasses"]))
        co_training = len(self.data["labeledPool"]) > 0
        self.labeled, self.rotated = check_honourable(c, world.size, co_training)
        t = c["train"]
        self.m = Models(c["gan"], t["seed"], t["lrG"], t["lrD"], world.device)
        self.sampler = BatchSampler(self.data, t["seed"])
        # Frozen statistics come from the initial G, so a resumed test run freezes the same ones.
        g_bn = frozen_bn(self.m, t["seed"]) if a.freeze_g_bn else BnMode()
        self.start = 0
        self.last_ckpt = None
        latest = ck.latest_checkpoint(self.run_dir)
        if latest:
            path, meta, arrays = latest
            stored = load_config(os.path.join(self.run_dir, "config.json"))
            check_resume(c, stored)
            ck.restore(self.m, arrays, meta)
            self.sampler = BatchSampler(self.data, t["seed"], meta["sampler"])
            self.start, self.last_ckpt = meta["step"], path
        reduce = world.reduce if world.size > 1 else None
        self.stepper = Stepper(self.m, {k: t[k] for k in ("rotationWeightD", "rotationWeightG", "classifierWeight", "rotatedFraction")},
                               bf16=a.bf16, reduce=reduce, g_bn=g_bn)
        n = world.size
        self.rows_real = shard_rows(t["batch"], n, self.labeled, self.rotated)[world.rank]
        self.rows_fake = shard_rows(t["batch"], n, 0, self.rotated)[world.rank]

    def prepare_folder(self):
        os.makedirs(os.path.join(self.run_dir, "checkpoints"), exist_ok=True)
        write_json(os.path.join(self.run_dir, "config.json"), self.config)
        if self.data["runLabels"] and not os.path.exists(os.path.join(self.run_dir, "labels.json")):
            shutil.copyfile(self.data["runLabels"], os.path.join(self.run_dir, "labels.json"))

    def checkpoint(self, step):
        t = self.config["train"]
        self.last_ckpt = ck.save(self.run_dir, self.m, step, self.sampler.state(), self.config)
        ck.prune(self.run_dir, t["keepCheckpoints"], t["milestoneEvery"])
        write_state(self.run_dir, "running", step)

    def one_step(self, step):
        t, cfg, s = self.config["train"], self.m.cfg, self.sampler
        B, R, per = t["batch"], cfg["resolution"], self.labeled // self.world.size
        losses = {}
        for _ in range(t["dSteps"]):
            real, fake = s.real(B, labeled_per_batch(t)), s.fake(B, cfg["zDim"])
            aug = None
            if t["diffaug"]:
                ar, af = draw_augment_params(s.rng, B, R), draw_augment_params(s.rng, B, R)
                aug = {"real": shard_augment(ar, self.rows_real), "fake": shard_augment(af, self.rows_fake)}
            dl = self.stepper.d_step(shard_real(real, self.rows_real, per), shard_fake(fake, self.rows_fake), aug)
            for k, v in dl.items():
                losses[k] = losses.get(k, 0.0) + v / t["dSteps"]
        fake = s.fake(B, cfg["zDim"])
        aug = shard_augment(draw_augment_params(s.rng, B, R), self.rows_fake) if t["diffaug"] else None
        losses.update(self.stepper.g_step(shard_fake(fake, self.rows_fake), step + 1, {"decay": t["emaDecay"], "start": t["emaStart"]}, aug))
        return losses

    def run(self):
        t, rank0 = self.config["train"], self.world.rank == 0
        log = None
        if rank0:
            self.prepare_folder()
            log = RunLog(self.run_dir, self.start if self.last_ckpt else None)
            write_state(self.run_dir, "running", self.start)
            write_origin(self.run_dir, self.world, torch.__version__, self.a.bf16, self.start)
            print("s3gan_job: %s %dpx ch %d batch %d on %d x %s (%s), steps %d..%d%s" % (
                self.config["method"], self.m.cfg["resolution"], self.m.cfg["ch"], t["batch"], self.world.size, self.world.device.type,
                self.world.backend if self.world.size > 1 else "1 process", self.start, t["steps"], ", bf16" if self.a.bf16 else ""), flush=True)
        step, sums, n_int, ms_int = self.start, {}, 0, 0.0
        try:
            while step < t["steps"]:
                if self.a.crash_at_step == step and self.world.rank == self.a.crash_rank:
                    os._exit(17)  # a rank lost without a word, as when a node goes down
                t0 = time.perf_counter()
                losses = self.one_step(step)
                ms = (time.perf_counter() - t0) * 1000
                if not all(np.isfinite(v) for v in losses.values()):
                    bad = ", ".join("%s = %s" % (k, v) for k, v in losses.items() if not np.isfinite(v))
                    raise FloatingPointError("Training diverged at step %d: %s" % (step + 1, bad))
                step += 1
                n_int, ms_int = n_int + 1, ms_int + ms
                for k, v in losses.items():
                    sums[k] = sums.get(k, 0.0) + v
                if rank0 and (step % t["logEvery"] == 0 or step == t["steps"]):
                    row = {"step": step, "img_per_s": n_int * t["batch"] / (ms_int / 1000), "step_s": ms_int / 1000 / n_int}
                    row.update({k: v / n_int for k, v in sums.items()})
                    log.row(row)
                    print("step %d: d %.3f g %.3f, %.1f img/s" % (step, row.get("d_loss", 0), row.get("g_loss", 0), row["img_per_s"]), flush=True)
                    sums, n_int, ms_int = {}, 0, 0.0
                if rank0 and step % t["checkpointEvery"] == 0:
                    self.checkpoint(step)
                if rank0 and t["gridEvery"] > 0 and step % t["gridEvery"] == 0:
                    write_grid(self.run_dir, self.m, t["seed"], step)
            if rank0:
                if step > 0 and not (self.last_ckpt and self.last_ckpt.endswith("ckpt-%08d.s3g" % step)):
                    self.checkpoint(step)
                if step > 0:
                    write_grid(self.run_dir, self.m, t["seed"], step)  # the final grid, as RunRecorder.finished
                write_state(self.run_dir, "done", step)
            if self.a.rank_checksums:
                os.makedirs(os.path.join(self.run_dir, "ranks"), exist_ok=True)
                write_json(os.path.join(self.run_dir, "ranks", "rank-%d.json" % self.world.rank), {"step": step, "sha256": state_hash(self.m)})
            self.world.barrier()
        except BaseException as e:
            done = ck.list_checkpoints(self.run_dir)  # what is on disk (rank 0 wrote it)
            where = "step %d (%s)" % (done[-1], ck.checkpoint_path(self.run_dir, done[-1])) if done else "the start (no checkpoint yet)"
            msg = "training stopped during step %d: %s. Rerun the job (the same command) to resume from %s." % (step + 1, str(e) or type(e).__name__, where)
            if rank0:
                write_state(self.run_dir, "failed", done[-1] if done else 0, msg)
            raise SystemExit("s3gan_job rank %d: %s" % (self.world.rank, msg))
        finally:
            if log:
                log.close()
        return step


def main(argv=None):
    a = parse(sys.argv[1:] if argv is None else argv)
    if a.threads:
        torch.set_num_threads(a.threads)
    world = World(a.timeout)
    try:
        try:
            job = Job(a, world)
        except (ConfigError, DataError, ck.CheckpointError) as e:
            raise SystemExit("s3gan_job: %s" % e)
        world.connect()
        job.run()
    finally:
        world.close()
    return 0
