"""DiffAugment and rotation batches as main/engine/gan/train/{diffaugment,rotation}.ts, on NCHW tensors.

Augmentation parameters are drawn from the sampler's PRNG in the app's order, so the same step sees the
same brightness, saturation, contrast, shifts and cutout squares.
"""
import math

import numpy as np
import torch

from .prng import js_round


def draw_augment_params(rng, batch, size):
    uniform = lambda lo, hi: np.asarray([lo + (hi - lo) * rng.next() for _ in range(batch)], dtype=np.float32)
    max_shift = math.floor(size / 8)
    shift = lambda: np.asarray([rng.int(2 * max_shift + 1) - max_shift for _ in range(batch)], dtype=np.int64)
    p = {"brightness": uniform(-0.5, 0.5), "saturation": uniform(0, 2), "contrast": uniform(0.5, 1.5)}
    p["shiftY"], p["shiftX"] = shift(), shift()
    cut = math.floor(size / 2)
    mask = np.ones((batch, size, size), dtype=np.float32)
    for b in range(batch):
        cy = rng.int(size + (1 - cut % 2)) - math.floor(cut / 2)
        cx = rng.int(size + (1 - cut % 2)) - math.floor(cut / 2)
        mask[b, max(0, cy):min(size, cy + cut), max(0, cx):min(size, cx + cut)] = 0
    p["cutoutMask"] = mask
    return p


def shard_augment(p, rows):
    return {k: v[rows] for k, v in p.items()}


def shift_matrices(shifts, n, device):
    """[B, n, n] with (S.v)[i] = v[i - t]; exact 0/1 products, as the app's matmul translation."""
    m = np.zeros((len(shifts), n, n), dtype=np.float32)
    for b, t in enumerate(shifts):
        for i in range(n):
            j = i - int(t)
            if 0 <= j < n:
                m[b, i, j] = 1
    return torch.tensor(m, device=device)


def diff_augment(x, p):
    b, c, h, w = x.shape
    col = lambda a: torch.tensor(a, device=x.device, dtype=x.dtype).reshape(b, 1, 1, 1)
    y = x + col(p["brightness"])
    if c > 1:
        mean = y.mean(1, keepdim=True)
        y = (y - mean) * col(p["saturation"]) + mean
    mean = y.mean((1, 2, 3), keepdim=True)
    y = (y - mean) * col(p["contrast"]) + mean
    y = torch.einsum("bij,bcjw->bciw", shift_matrices(p["shiftY"], h, x.device).to(x.dtype), y)
    y = torch.einsum("bij,bchj->bchi", shift_matrices(p["shiftX"], w, x.device).to(x.dtype), y)
    return y * torch.tensor(p["cutoutMask"], device=x.device, dtype=x.dtype)[:, None]


def rotated_count(batch, fraction):
    return max(1, min(batch, js_round(batch * fraction)))


def rot90(x, k):
    """NCHW version of rotation.ts's NHWC transpose + reverse."""
    if k == 2:
        return x.flip(2, 3)
    t = x.transpose(2, 3)
    return t.flip(2 if k == 1 else 3)


def rotation_batch(x, n):
    tail = x[x.shape[0] - n:]
    images = torch.cat([tail, rot90(tail, 1), rot90(tail, 2), rot90(tail, 3)], 0)
    labels = torch.arange(4, device=x.device).repeat_interleave(n)
    return images, labels
