#!/usr/bin/python3
"""The CPU bench's PyTorch side: the job's own trainer (resources/pytorch-job/s3gan_job), one full
training step (dSteps D updates + one G update + EMA) on the bench's synthetic data, timed.

Run with Debian's /usr/bin/python3 (apt-get install -y python3-torch):
  bench_step.py --spec JSON --serve     one line "step" on stdin -> one JSON line {"ms": ...} on stdout
spec: {"gan": GanConfig, "train": {batch, dSteps, lrG, lrD, emaDecay, rotatedFraction, rotationWeightD,
rotationWeightG, classifierWeight}, "labeled": hand-labeled reals per batch} (from test/bench/cpu/configs.ts).
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "resources", "pytorch-job"))
try:
    import numpy as np
    import torch
    from s3gan_job.data import BatchSampler
    from s3gan_job.step import Models, Stepper
except ImportError as e:
    sys.stderr.write("PyTorch is missing for this Python (%s). Install Debian's build: sudo apt-get install -y python3-torch\n"
                     "and run this script with /usr/bin/python3 (not a python3 from another prefix).\n" % e)
    sys.exit(3)


def bench_data(gan, n=256):
    """test/bench/cpu/ours.ts benchData: the same 256 pseudo-random images, a quarter hand-labeled."""
    r, c, k = gan["resolution"], gan["channels"], gan["numClasses"]
    i = np.arange(n * r * r * c, dtype=np.uint64)
    pixels = (((i * np.uint64(2654435761)) & np.uint64(0xFFFFFFFF)) >> np.uint64(24)).astype(np.uint8)
    labels = np.asarray([j % k if j % 4 == 0 else -1 for j in range(n)], dtype=np.int64)
    return {"pixels": pixels.reshape(n, -1), "n": n, "size": r, "channels": c, "labels": labels,
            "labeledPool": np.flatnonzero(labels >= 0), "numClasses": k}


class Bench:
    def __init__(self, spec):
        self.gan, self.t, self.labeled = spec["gan"], spec["train"], spec["labeled"]
        self.m = Models(self.gan, 1, self.t["lrG"], self.t["lrD"], torch.device("cpu"))
        w = {k: self.t[k] for k in ("rotationWeightD", "rotationWeightG", "classifierWeight", "rotatedFraction")}
        self.stepper = Stepper(self.m, w)
        self.sampler = BatchSampler(bench_data(self.gan), 1)
        self.g = 0

    def step(self):
        B, z = self.t["batch"], self.gan["zDim"]
        for _ in range(self.t["dSteps"]):
            self.stepper.d_step(self.sampler.real(B, self.labeled), self.sampler.fake(B, z))
        self.g += 1
        self.stepper.g_step(self.sampler.fake(B, z), self.g, {"decay": self.t["emaDecay"], "start": 0})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spec", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--serve", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    b = Bench(json.loads(a.spec))
    if a.serve:
        print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
        for line in sys.stdin:
            if line.strip() != "step":
                break
            t = time.perf_counter()
            b.step()
            print(json.dumps({"ms": (time.perf_counter() - t) * 1000}), flush=True)
        return
    b.step()
    times = sorted(_timed(b) for _ in range(a.steps))
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "median_ms": times[len(times) // 2]}))


def _timed(b):
    t = time.perf_counter()
    b.step()
    return (time.perf_counter() - t) * 1000


if __name__ == "__main__":
    main()
