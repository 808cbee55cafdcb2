"""The run's sample grids as main/engine/gan/sample/grid.ts renders them: rows = classes (at most 20),
8 columns of the run's fixed latents (stream 21 of the seed), the EMA generator with G's SN vectors and
standing BN statistics (4 batches of 64 from stream 22), cells enlarged to >= 64 px, 2 px white gaps.
Written as grids/step-XXXXXX.png.
"""
import math
import os
import struct
import zlib

import numpy as np
import torch

from .model import BnMode, Net, generate, one_hot
from .prng import Prng

EVAL_LATENT_STREAM = 21
STANDING_STREAM = 22
GRID_COLUMNS = 8
MAX_GRID_ROWS = 20
GAP = 2
MIN_CELL = 64


def grid_path(run_dir, step):
    return os.path.join(run_dir, "grids", "step-%06d.png" % step)


def _latents(rng, n, z_dim):
    return np.asarray(rng.normals(n * z_dim), dtype=np.float32).reshape(n, z_dim)


def ema_net(m):
    net = Net(m.device)
    net.weights, net.sn = m.g_ema, m.g.sn
    return net


@torch.no_grad()
def standing_stats(cfg, g, seed, device, batches=4, batch=64):
    rng = Prng.derive(seed, STANDING_STREAM)
    mode = BnMode("collect")
    for _ in range(batches):
        z = torch.tensor(_latents(rng, batch, cfg["zDim"]), device=device)
        y = [rng.int(cfg["numClasses"]) for _ in range(batch)]
        generate(cfg, g, z, one_hot(y, cfg["numClasses"], device), mode)
    return BnMode("standing", mode.stats)


def png(pixels):
    """uint8 [h, w, c] (c 1 or 3) -> PNG bytes (filter 0 per row)."""
    h, w, c = pixels.shape
    raw = b"".join(b"\0" + pixels[y].tobytes() for y in range(h))
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    head = struct.pack(">IIBBBBB", w, h, 8, 0 if c == 1 else 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")


@torch.no_grad()
def render_grid(m, seed):
    cfg, dev = m.cfg, m.device
    rows = list(range(min(cfg["numClasses"], MAX_GRID_ROWS)))
    cols = GRID_COLUMNS
    z1 = _latents(Prng.derive(seed, EVAL_LATENT_STREAM), cols, cfg["zDim"])
    z = torch.tensor(np.tile(z1, (len(rows), 1)), device=dev)
    classes = [c for c in rows for _ in range(cols)]
    g = ema_net(m)
    images = generate(cfg, g, z, one_hot(classes, cfg["numClasses"], dev), standing_stats(cfg, g, seed, dev))
    px = torch.clamp(torch.round((images + 1) * 127.5), 0, 255).to(torch.uint8).permute(0, 2, 3, 1).cpu().numpy()
    n, h, w, c = px.shape
    scale = max(1, math.ceil(MIN_CELL / max(h, w)))
    ch, cw = h * scale, w * scale
    out = np.full((len(rows) * ch + (len(rows) + 1) * GAP, cols * cw + (cols + 1) * GAP, c), 255, dtype=np.uint8)
    for i in range(n):
        top, left = GAP + (i // cols) * (ch + GAP), GAP + (i % cols) * (cw + GAP)
        out[top:top + ch, left:left + cw] = px[i].repeat(scale, 0).repeat(scale, 1)
    return png(out)


def write_grid(run_dir, m, seed, step):
    from .checkpoints import write_atomic
    os.makedirs(os.path.join(run_dir, "grids"), exist_ok=True)
    write_atomic(grid_path(run_dir, step), render_grid(m, seed))
