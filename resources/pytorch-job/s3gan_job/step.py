"""One D update and one G update, exactly as main/engine/gan/train/step.ts (DESIGN.md §4 stage 3).

Hinge loss on un-rotated images, projection D(x, y) = psi(D~) + <embed(y), D~>, rotation CE on the last
`rotated` images (real -> L_D x rotationWeightD, fake -> L_G x rotationWeightG), co-training CE on the
first `labeled` reals (x classifierWeight), unlabeled reals take the head's argmax (no gradient) as y.
Adam (beta1 0, beta2 0.999) and the EMA are the app's, update for update.
"""
import contextlib
import math

import torch
import torch.nn.functional as F

from .augment import diff_augment, rotated_count, rotation_batch
from .model import BATCH_STATS, features, generate, linear, one_hot, real_fake_logits

ADAM_BETAS = (0.0, 0.999)  # adam.ts adamConfig: BigGAN / compare_gan
ADAM_EPS = 1e-8


class Adam:
    """adam.ts: moments per weight (app layout) and one step count; only weights with a gradient move."""

    def __init__(self, lr, weights):
        self.lr = lr
        self.m = {k: torch.zeros_like(w, requires_grad=False) for k, w in weights.items()}
        self.v = {k: torch.zeros_like(w, requires_grad=False) for k, w in weights.items()}
        self.t = 0

    @torch.no_grad()
    def apply(self, weights, grads):
        self.t += 1
        b1, b2 = ADAM_BETAS
        alpha = self.lr * math.sqrt(1 - b2 ** self.t) / (1 - b1 ** self.t)
        for name, g in grads.items():
            m1 = self.m[name] * b1 + g * (1 - b1)
            v1 = self.v[name] * b2 + (g * g) * (1 - b2)
            self.m[name].copy_(m1)
            self.v[name].copy_(v1)
            weights[name].sub_(m1 * alpha / (torch.sqrt(v1) + ADAM_EPS))


@torch.no_grad()
def update_ema(ema, weights, decay, step, start):
    d = 0.0 if step < start else decay
    for name, w in weights.items():
        if d == 0:
            ema[name].copy_(w)
        else:
            ema[name].copy_(ema[name] * d + w * (1 - d))


def softmax_ce(logits, labels):
    return F.cross_entropy(logits.float(), labels)


class Stepper:
    """Holds the models and applies D/G updates; `reduce` averages gradients and losses over ranks."""

    def __init__(self, models, weights, bf16=False, reduce=None, g_bn=BATCH_STATS):
        self.m = models
        self.w = weights  # rotationWeightD/G, classifierWeight, rotatedFraction
        self.bf16 = bf16
        self.reduce = reduce
        self.g_bn = g_bn

    def _autocast(self):
        if not self.bf16:
            return contextlib.nullcontext()
        return torch.autocast(device_type=self.m.device.type, dtype=torch.bfloat16)

    def _update(self, net, opt, loss, parts):
        names = list(net.weights)
        grads = torch.autograd.grad(loss, [net.weights[n] for n in names], allow_unused=True)
        named = {n: g for n, g in zip(names, grads) if g is not None}
        values = {k: v.detach().float() for k, v in parts.items()}
        if self.reduce:
            named, values = self.reduce(named, values)
        opt.apply(net.weights, named)
        return {k: float(v) for k, v in values.items()}

    def d_step(self, real, fake, augment=None):
        m, cfg, w = self.m, self.m.cfg, self.w
        dev = m.device
        B = len(real["labels"])
        K = cfg["numClasses"]
        with torch.no_grad(), self._autocast():
            fake_images = generate(cfg, m.g, torch.tensor(fake["z"], device=dev).reshape(B, -1), one_hot(fake["labels"], K, dev), self.g_bn).float()
        m.d.refresh()
        labels = torch.as_tensor(real["labels"], dtype=torch.long, device=dev)
        with self._autocast():
            x = torch.tensor(real["images"], device=dev).permute(0, 3, 1, 2)
            f = fake_images
            if augment is not None:
                x, f = diff_augment(x, augment["real"]), diff_augment(f, augment["fake"])
            n_rot = rotated_count(B, w["rotatedFraction"]) if cfg["heads"]["rotation"] else 0
            rot = rotation_batch(x, n_rot) if n_rot else None
            h = features(cfg, m.d, torch.cat([x, f] + ([rot[0]] if rot else []), 0)).float()
            h_real, h_fake = h[:B], h[B:2 * B]
            y_real = self._real_labels(h_real, labels)
            d_real = torch.relu(1 - real_fake_logits(m.d, h_real, y_real)).mean()
            d_fake = torch.relu(1 + real_fake_logits(m.d, h_fake, one_hot(fake["labels"], K, dev))).mean()
            parts = {"d_real": d_real, "d_fake": d_fake}
            loss = d_real + d_fake
            L = real["labeled"]
            if cfg["heads"]["classifier"] and L > 0:
                parts["d_class"] = softmax_ce(linear(m.d, "classifier", h_real[:L]), labels[:L])
                loss = loss + parts["d_class"] * w["classifierWeight"]
            if rot:
                parts["d_rot"] = softmax_ce(linear(m.d, "rotation", h[2 * B:2 * B + 4 * n_rot]), rot[1])
                loss = loss + parts["d_rot"] * w["rotationWeightD"]
        parts["d_loss"] = loss
        return self._update(m.d, m.opt_d, loss, parts)

    def _real_labels(self, h_real, labels):
        K = self.m.cfg["numClasses"]
        if not self.m.cfg["heads"]["classifier"] or bool((labels >= 0).all()):
            return one_hot(labels, K, labels.device)
        with torch.no_grad():  # the stop-gradient: the prediction re-enters as a constant
            pred = linear(self.m.d, "classifier", h_real).argmax(1)
        return one_hot(torch.where(labels >= 0, labels, pred), K, labels.device)

    def g_step(self, fake, step, ema, augment=None):
        m, cfg, w = self.m, self.m.cfg, self.w
        dev = m.device
        B = len(fake["labels"])
        m.g.refresh()
        z = torch.tensor(fake["z"], device=dev).reshape(B, -1)
        y = one_hot(fake["labels"], cfg["numClasses"], dev)
        with self._autocast():
            x = generate(cfg, m.g, z, y, self.g_bn)
            if augment is not None:
                x = diff_augment(x, augment)
            n_rot = rotated_count(B, w["rotatedFraction"]) if cfg["heads"]["rotation"] else 0
            rot = rotation_batch(x, n_rot) if n_rot else None
            h = features(cfg, m.d, torch.cat([x, rot[0]], 0) if rot else x).float()
            adv = -real_fake_logits(m.d, h[:B], y).mean()
            parts = {"g_adv": adv}
            loss = adv
            if rot:
                parts["g_rot"] = softmax_ce(linear(m.d, "rotation", h[B:B + 4 * n_rot]), rot[1])
                loss = loss + parts["g_rot"] * w["rotationWeightG"]
        parts["g_loss"] = loss
        out = self._update(m.g, m.opt_g, loss, parts)
        update_ema(m.g_ema, m.g.weights, ema["decay"], step, ema["start"])
        return out


INIT_STREAM = 7  # train/models.ts: initial weights draw from Prng.derive(seed, 7), G then D


class Models:
    def __init__(self, cfg, seed, lr_g, lr_d, device):
        from .model import create_discriminator, create_generator
        from .prng import Prng
        rng = Prng.derive(seed, INIT_STREAM)
        self.cfg, self.device = cfg, device
        self.g = create_generator(cfg, rng, device)
        self.d = create_discriminator(cfg, rng, device)
        # The EMA copy shares G's SN vectors (state of G, not weights), as ema.ts's cloneForEma.
        self.g_ema = {k: w.detach().clone() for k, w in self.g.weights.items()}
        self.opt_g = Adam(lr_g, self.g.weights)
        self.opt_d = Adam(lr_d, self.d.weights)
