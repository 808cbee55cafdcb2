"""The app's checkpoint file (main/engine/gan/run/checkpoint-file.ts) and what a training checkpoint holds
(train/checkpoint-state.ts): "S3GCKPT1", uint32 LE header length, JSON header {meta, tensors, sha256},
zero padding to 4 bytes, float32 LE payload. Files are runs/<run>/checkpoints/ckpt-<8-digit step>.s3g,
written temp + fsync + rename; the newest `keepCheckpoints` are kept, besides milestones.
"""
import datetime
import hashlib
import json
import os
import re
import sys

import numpy as np
import torch

MAGIC = b"S3GCKPT1"
FILE = re.compile(r"^ckpt-(\d{8})\.s3g$")


class CheckpointError(Exception):
    pass


def checkpoint_path(run_dir, step):
    return os.path.join(run_dir, "checkpoints", "ckpt-%08d.s3g" % step)


def write_atomic(path, data):
    tmp = "%s.tmp-%d" % (path, os.getpid())
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    try:
        fd = os.open(os.path.dirname(path) or ".", os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    except OSError:
        pass  # some filesystems refuse a directory fsync; the rename is still atomic


def encode(meta, arrays):
    """arrays: [(name, shape, float32 ndarray)] in file order."""
    tensors, total = [], 0
    for name, shape, data in arrays:
        tensors.append({"name": name, "shape": list(shape), "offset": total, "length": int(data.size)})
        total += int(data.size)
    payload = np.concatenate([np.ascontiguousarray(d, dtype="<f4").reshape(-1) for _, _, d in arrays]).tobytes() if arrays else b""
    header = json.dumps({"meta": meta, "tensors": tensors, "sha256": hashlib.sha256(payload).hexdigest()},
                        separators=(",", ":"), ensure_ascii=False).encode("utf8")
    start = (12 + len(header) + 3) // 4 * 4
    return MAGIC + len(header).to_bytes(4, "little") + header + b"\0" * (start - 12 - len(header)) + payload


def decode(raw, what="checkpoint"):
    fail = lambda why: CheckpointError("%s is damaged: %s" % (what, why))
    if len(raw) < 12 or raw[:8] != MAGIC:
        raise fail("not a checkpoint file")
    n = int.from_bytes(raw[8:12], "little")
    if 12 + n > len(raw):
        raise fail("header runs past the end of the file")
    try:
        header = json.loads(raw[12:12 + n].decode("utf8"))
    except ValueError:
        raise fail("unreadable header")
    start = (12 + n + 3) // 4 * 4
    total = sum(t["length"] for t in header["tensors"])
    if len(raw) != start + 4 * total:
        raise fail("expected %d floats, file size differs" % total)
    payload = raw[start:]
    if hashlib.sha256(payload).hexdigest() != header["sha256"]:
        raise fail("checksum mismatch")
    flat = np.frombuffer(payload, dtype="<f4")
    arrays = {t["name"]: flat[t["offset"]:t["offset"] + t["length"]].reshape(t["shape"]) for t in header["tensors"]}
    return header["meta"], arrays


def list_checkpoints(run_dir):
    d = os.path.join(run_dir, "checkpoints")
    if not os.path.isdir(d):
        return []
    return sorted(int(m.group(1)) for m in (FILE.match(f) for f in os.listdir(d)) if m)


def latest_checkpoint(run_dir):
    """The newest checkpoint that reads back complete (a damaged newer one is reported, not trusted)."""
    for step in reversed(list_checkpoints(run_dir)):
        path = checkpoint_path(run_dir, step)
        try:
            meta, arrays = decode(open(path, "rb").read(), path)
            return path, meta, arrays
        except CheckpointError as e:
            sys.stderr.write("Skipping damaged checkpoint %s: %s\n" % (path, e))
    return None


def prune(run_dir, keep, milestone_every):
    steps = list_checkpoints(run_dir)
    for step in steps[:max(0, len(steps) - keep)]:
        if step % milestone_every != 0:
            try:
                os.remove(checkpoint_path(run_dir, step))
            except FileNotFoundError:
                pass


def _np(t):
    return t.detach().float().cpu().numpy()


def model_arrays(m):
    """checkpoint-state.ts modelArrays: the same names, order and layouts."""
    out = []
    for prefix, weights in (("g", m.g.weights), ("g_sn", None), ("d", m.d.weights), ("d_sn", None), ("ema", m.g_ema),
                            ("adam_g/m", m.opt_g.m), ("adam_g/v", m.opt_g.v), ("adam_d/m", m.opt_d.m), ("adam_d/v", m.opt_d.v)):
        if weights is None:
            net = m.g if prefix == "g_sn" else m.d
            for name, (u, v) in net.sn.items():
                out += [("%s/%s/u" % (prefix, name), u.shape, _np(u)), ("%s/%s/v" % (prefix, name), v.shape, _np(v))]
        else:
            out += [("%s/%s" % (prefix, name), w.shape, _np(w)) for name, w in weights.items()]
    return out


def save(run_dir, m, step, sampler_state, config):
    os.makedirs(os.path.join(run_dir, "checkpoints"), exist_ok=True)
    meta = {"step": step, "sampler": sampler_state, "config": config, "adamSteps": {"g": m.opt_g.t, "d": m.opt_d.t},
            "savedAt": datetime.datetime.utcnow().isoformat(timespec="milliseconds") + "Z"}
    path = checkpoint_path(run_dir, step)
    write_atomic(path, encode(meta, model_arrays(m)))
    return path


@torch.no_grad()
def restore(m, arrays, meta):
    """checkpoint-state.ts restoreInto: every tensor present and of the same shape, or an error."""
    def assign(name, t):
        a = arrays.get(name)
        if a is None:
            raise CheckpointError("checkpoint lacks %s" % name)
        if list(a.shape) != list(t.shape):
            raise CheckpointError("checkpoint %s: shape %s != %s" % (name, list(a.shape), list(t.shape)))
        t.copy_(torch.from_numpy(np.array(a, dtype=np.float32)).to(t.device))
    for prefix, net in (("g", m.g), ("d", m.d)):
        for name, w in net.weights.items():
            assign("%s/%s" % (prefix, name), w)
        for name, (u, v) in net.sn.items():
            assign("%s_sn/%s/u" % (prefix, name), u)
            assign("%s_sn/%s/v" % (prefix, name), v)
    for prefix, d in (("ema", m.g_ema), ("adam_g/m", m.opt_g.m), ("adam_g/v", m.opt_g.v), ("adam_d/m", m.opt_d.m), ("adam_d/v", m.opt_d.v)):
        for name, t in d.items():
            assign("%s/%s" % (prefix, name), t)
    m.opt_g.t = meta["adamSteps"]["g"]
    m.opt_d.t = meta["adamSteps"]["d"]
