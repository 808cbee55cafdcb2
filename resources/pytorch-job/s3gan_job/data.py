"""The job's training data and the app's batch sampler (main/engine/gan/train/batches.ts), draw for draw.

data/manifest.json: {"format": 1, "n", "size", "channels", "numClasses",
  "shards": [{"file", "count", "sha256"}],       uint8 NHWC pixels, images in training order
  "labels": {"file", "sha256"},                    int32 LE per image, -1 = unknown
  "labeledPool": {"file", "sha256"},               int32 LE image indices with a hand label, pool order
  "runLabels": "labels.json" (optional)}           the run's labels.json, copied into the run folder
"""
import hashlib
import json
import os

import numpy as np

from .prng import Prng, permutation

DATA_FORMAT = 1
LABELED_STREAM = 1_000_003


class DataError(Exception):
    pass


def _read(folder, entry, dtype):
    path = os.path.join(folder, entry["file"])
    if not os.path.exists(path):
        raise DataError("data file %s is missing" % path)
    raw = open(path, "rb").read()
    if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
        raise DataError("data file %s is damaged (SHA-256 differs from the manifest)" % path)
    return np.frombuffer(raw, dtype=dtype)


def load_data(folder):
    m = json.load(open(os.path.join(folder, "manifest.json")))
    if m.get("format") != DATA_FORMAT:
        raise DataError("data format %r, this trainer reads %d" % (m.get("format"), DATA_FORMAT))
    px = m["size"] * m["size"] * m["channels"]
    shards = [_read(folder, s, np.uint8) for s in m["shards"]]
    for s, arr in zip(m["shards"], shards):
        if arr.size != s["count"] * px:
            raise DataError("shard %s holds %d bytes, expected %d images of %d" % (s["file"], arr.size, s["count"], px))
    pixels = np.concatenate(shards) if shards else np.zeros(0, np.uint8)
    labels = _read(folder, m["labels"], "<i4").astype(np.int64)
    pool = _read(folder, m["labeledPool"], "<i4").astype(np.int64)
    n = m["n"]
    if pixels.size != n * px or labels.size != n:
        raise DataError("manifest says %d images; shards hold %d, labels %d" % (n, pixels.size // px, labels.size))
    if n == 0:
        raise DataError("No training images")
    run_labels = os.path.join(folder, m["runLabels"]) if m.get("runLabels") else None
    return {"pixels": pixels.reshape(n, px), "n": n, "size": m["size"], "channels": m["channels"], "labels": labels,
            "labeledPool": pool, "numClasses": m["numClasses"], "runLabels": run_labels}


class PoolCursor:
    """Epoch-shuffled cursor over a pool; each epoch's permutation comes from (seed, stream + epoch)."""

    def __init__(self, pool, seed, stream, epoch, cursor):
        self.pool, self.seed, self.stream, self.epoch, self.cursor = pool, seed, stream, epoch, cursor
        self.perm = self._perm(epoch)

    def _perm(self, epoch):
        return permutation(len(self.pool), Prng.derive(self.seed, self.stream + epoch))

    def next(self):
        if self.cursor >= len(self.pool):
            self.epoch += 1
            self.cursor = 0
            self.perm = self._perm(self.epoch)
        i = self.pool[self.perm[self.cursor]]
        self.cursor += 1
        return int(i)


class BatchSampler:
    def __init__(self, data, seed, state=None):
        self.data = data
        self.rng = Prng(state=state["rng"]) if state else Prng(seed)
        st = state or {}
        self.main = PoolCursor(np.arange(data["n"]), seed, 0, st.get("epoch", 0), st.get("cursor", 0))
        self.labeled = (PoolCursor(data["labeledPool"], seed, LABELED_STREAM, st.get("labeledEpoch", 0), st.get("labeledCursor", 0))
                        if len(data["labeledPool"]) > 0 else None)

    def state(self):
        return {"rng": self.rng.state(), "epoch": self.main.epoch, "cursor": self.main.cursor,
                "labeledEpoch": self.labeled.epoch if self.labeled else 0, "labeledCursor": self.labeled.cursor if self.labeled else 0}

    def real(self, batch, labeled_count):
        d = self.data
        labeled = min(batch, max(1, labeled_count)) if self.labeled else 0
        idx = [self.labeled.next() if b < labeled else self.main.next() for b in range(batch)]
        images = (d["pixels"][idx].astype(np.float64) / 127.5 - 1).astype(np.float32)
        return {"images": images.reshape(batch, d["size"], d["size"], d["channels"]), "labels": d["labels"][idx].copy(), "labeled": labeled}

    def fake(self, batch, z_dim):
        z = np.asarray(self.rng.normals(batch * z_dim), dtype=np.float32)
        labels = np.asarray([self.rng.int(self.data["numClasses"]) for _ in range(batch)], dtype=np.int64)
        return {"z": z.reshape(batch, z_dim), "labels": labels}


def shard_rows(batch, n, lead, tail):
    """parallel/shard.ts: per rank, its share of the lead rows, the middle, then the batch's tail rows."""
    per, l, t = batch // n, lead // n, tail // n
    m = (batch - lead - tail) // n
    rows = [list(range(k * l, k * l + l)) + list(range(lead + k * m, lead + k * m + m)) + list(range(batch - tail + k * t, batch - tail + k * t + t))
            for k in range(n)]
    assert all(len(r) == per for r in rows), "shard_rows: uneven split"
    return rows


def shard_problem(batch, n, labeled, rotated):
    bad = ["%s %d" % (k, v) for k, v in (("batch", batch), ("labeled images per batch", labeled), ("rotated images per batch", rotated)) if v % n]
    if not bad and labeled + rotated > batch and labeled > 0 and rotated > 0:
        return "labeled %d + rotated %d exceed batch %d" % (labeled, rotated, batch)
    return "%s not divisible by %d processes" % (", ".join(bad), n) if bad else None


def shard_real(b, rows, labeled_per_shard):
    return {"images": b["images"][rows], "labels": b["labels"][rows], "labeled": labeled_per_shard if b["labeled"] > 0 else 0}


def shard_fake(b, rows):
    return {"z": b["z"][rows], "labels": b["labels"][rows]}
