"""G and D exactly as main/engine/models/*.ts compute them, weights in the app's layouts.

Every weight is stored as the app stores it (dense [in, out], conv [kh, kw, in, out]) so checkpoints,
Adam moments and EMA copy across unchanged; only the forward pass views convs as torch's [out, in, kh, kw].
Activations are NCHW. Spectral norm: u [1, out], v [1, fanIn], one power iteration per update outside
autograd; sigma = v.W.u is differentiable in W only, as in sn.ts.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F

G_MULTIPLIERS = {8: [4, 4], 16: [4, 4, 4], 32: [4, 4, 4, 4], 64: [16, 16, 8, 4, 2], 128: [16, 16, 8, 4, 2, 1]}
D_MULTIPLIERS = {8: [2, 2], 16: [2, 2, 2], 32: [2, 2, 2, 2], 64: [2, 4, 8, 16, 16], 128: [1, 2, 4, 8, 16, 16]}
SEED = 4
CBN_EPS = 1e-4
NUM_ROTATIONS = 4


def generator_channels(cfg):
    m = G_MULTIPLIERS[cfg["resolution"]]
    return [c * cfg["ch"] for c in m[:-1]], [c * cfg["ch"] for c in m[1:]]


def discriminator_channels(cfg):
    out = [c * cfg.get("dCh", cfg["ch"]) for c in D_MULTIPLIERS[cfg["resolution"]]]
    return [cfg["channels"]] + out[:-1], out


def z_chunks(cfg):
    if not cfg["hierarchicalZ"]:
        return [cfg["zDim"]]
    parts = len(generator_channels(cfg)[0]) + 1
    base = cfg["zDim"] // parts
    return [base + (cfg["zDim"] - base * parts if i == 0 else 0) for i in range(parts)]


class Net:
    """Named weights in creation order (the checkpoint order) and SN vectors by weight name."""

    def __init__(self, device):
        self.weights = {}
        self.sn = {}
        self.device = device

    def _tensor(self, values, shape):
        return torch.tensor(np.asarray(values, dtype=np.float32).reshape(shape), device=self.device)

    def glorot(self, rng, name, shape, sn):
        receptive = math.prod(shape[:-2])
        fan_in, fan_out = receptive * shape[-2], receptive * shape[-1]
        std = math.sqrt(2.0 / (fan_in + fan_out))
        self.weights[name] = self._tensor(rng.normals(math.prod(shape), std), shape).requires_grad_()
        if sn:
            u = np.asarray(rng.normals(shape[-1]), dtype=np.float32)
            norm = math.hypot(*[float(x) for x in u]) or 1.0
            u = np.asarray([float(x) / norm for x in u], dtype=np.float32)
            self.sn[name] = [self._tensor(u, [1, shape[-1]]), torch.zeros(1, fan_in, device=self.device)]
            sn_refresh(self.weights[name], self.sn[name])

    def constant(self, name, shape, value):
        self.weights[name] = torch.full(shape, float(value), device=self.device).requires_grad_()

    def conv_layer(self, rng, name, k, cin, cout, sn):
        self.glorot(rng, name + ".w", [k, k, cin, cout], sn)
        self.constant(name + ".b", [cout], 0)

    def linear_layer(self, rng, name, cin, cout, sn, bias):
        self.glorot(rng, name + ".w", [cin, cout], sn)
        if bias:
            self.constant(name + ".b", [cout], 0)

    def param(self, name):
        w = self.weights[name]
        s = self.sn.get(name)
        if s is None:
            return w
        sigma = (s[1] @ w.reshape(-1, w.shape[-1]) * s[0]).sum()
        return w / sigma

    def has(self, name):
        return name in self.weights

    def refresh(self):
        for name, s in self.sn.items():
            sn_refresh(self.weights[name], s)


@torch.no_grad()
def sn_refresh(w, s):
    m = w.detach().reshape(-1, w.shape[-1])
    v = s[0] @ m.t()
    v = v / (v.norm() + 1e-12)
    u = v @ m
    s[1].copy_(v)
    s[0].copy_(u / (u.norm() + 1e-12))


def linear(net, name, x):
    y = x @ net.param(name + ".w")
    return y + net.weights[name + ".b"] if net.has(name + ".b") else y


def conv(net, name, x):
    w = net.param(name + ".w").permute(3, 2, 0, 1).contiguous()  # a permuted view made oneDNN ~20% slower
    return F.conv2d(x, w, net.weights.get(name + ".b"), padding=w.shape[-1] // 2)


def up2(x):
    return F.interpolate(x, scale_factor=2, mode="nearest")  # exact copies, like resizeNearestNeighbor


def create_generator(cfg, rng, device):
    net = Net(device)
    cin, cout = generator_channels(cfg)
    chunks = z_chunks(cfg)
    sn = cfg["gSpectralNorm"]
    net.linear_layer(rng, "embed_y", cfg["numClasses"], cfg["embedYDim"], False, False)
    seed_in = chunks[0] + (cfg["embedYDim"] if cfg.get("conditionSeed") else 0)
    net.linear_layer(rng, "fc", seed_in, SEED * SEED * cin[0], sn, True)
    cond = cfg["embedYDim"] + (chunks[1] if cfg["hierarchicalZ"] else 0)
    for i, (ci, co) in enumerate(zip(cin, cout)):
        b = "block%d" % i
        net.linear_layer(rng, b + ".bn1.gamma", cond, ci, False, False)
        net.linear_layer(rng, b + ".bn1.beta", cond, ci, False, False)
        net.conv_layer(rng, b + ".conv1", 3, ci, co, sn)
        net.linear_layer(rng, b + ".bn2.gamma", cond, co, False, False)
        net.linear_layer(rng, b + ".bn2.beta", cond, co, False, False)
        net.conv_layer(rng, b + ".conv2", 3, co, co, sn)
        net.conv_layer(rng, b + ".shortcut", 1, ci, co, sn)
    net.constant("final_bn.scale", [cout[-1]], 1)
    net.constant("final_bn.offset", [cout[-1]], 0)
    net.conv_layer(rng, "final_conv", 3, cout[-1], cfg["channels"], sn)
    return net


def create_discriminator(cfg, rng, device):
    net = Net(device)
    cin, cout = discriminator_channels(cfg)
    for i, (ci, co) in enumerate(zip(cin, cout)):
        b = "block%d" % i
        net.conv_layer(rng, b + ".conv1", 3, ci, co, True)
        net.conv_layer(rng, b + ".conv2", 3, co, co, True)
        if ci != co:
            net.conv_layer(rng, b + ".shortcut", 1, ci, co, True)
    feat = cout[-1]
    heads = cfg["heads"]
    net.linear_layer(rng, "psi", feat, 1, True, True)
    if heads["projection"]:
        net.linear_layer(rng, "embed", cfg["numClasses"], feat, True, False)
    if heads["rotation"]:
        net.linear_layer(rng, "rotation", feat, NUM_ROTATIONS, True, True)
    if heads["classifier"]:
        net.linear_layer(rng, "classifier", feat, cfg["numClasses"], True, True)
    return net


class BnMode:
    """'batch' (training), 'collect' (batch statistics, summed into stats) or 'standing' (fixed stats)."""

    def __init__(self, kind="batch", stats=None):
        self.kind = kind
        self.stats = {} if stats is None and kind != "batch" else stats


BATCH_STATS = BnMode()


def normalize(name, x, mode):
    if mode.kind == "standing":
        mean, var, count = mode.stats[name]
        return (x - (mean / count)[None, :, None, None]) / torch.sqrt(var / count + CBN_EPS)[None, :, None, None]
    # E[x^2] - mean^2, clamped at 0, as layers-batchnorm.ts computes the batch variance.
    mean = x.mean((0, 2, 3))
    var = torch.relu((x * x).mean((0, 2, 3)) - mean * mean)
    if mode.kind == "collect":
        m, v, c = mode.stats.get(name, (torch.zeros_like(mean), torch.zeros_like(var), 0))
        mode.stats[name] = (m + mean.detach(), v + var.detach(), c + 1)
    return (x - mean[None, :, None, None]) * torch.rsqrt(var + CBN_EPS)[None, :, None, None]


def conditional_bn(net, name, x, cond, mode):
    gamma = 1 + linear(net, name + ".gamma", cond)
    beta = linear(net, name + ".beta", cond)
    return normalize(name, x, mode) * gamma[:, :, None, None] + beta[:, :, None, None]


def generate(cfg, net, z, y, mode=BATCH_STATS):
    """z [B, zDim], y one-hot [B, K] -> images NCHW in [-1, 1]."""
    cin, _ = generator_channels(cfg)
    zs = torch.split(z, z_chunks(cfg), 1)
    yemb = linear(net, "embed_y", y)
    seed_in = torch.cat([zs[0], yemb], 1) if cfg.get("conditionSeed") else zs[0]
    h = linear(net, "fc", seed_in).reshape(-1, SEED, SEED, cin[0]).permute(0, 3, 1, 2)  # the app reshapes NHWC
    for i in range(len(cin)):
        b = "block%d" % i
        cond = torch.cat([zs[i + 1], yemb], 1) if cfg["hierarchicalZ"] else yemb
        t = conv(net, b + ".conv1", up2(torch.relu(conditional_bn(net, b + ".bn1", h, cond, mode))))
        t = conv(net, b + ".conv2", torch.relu(conditional_bn(net, b + ".bn2", t, cond, mode)))
        h = t + up2(conv(net, b + ".shortcut", h))
    w = net.weights
    h = torch.relu(normalize("final_bn", h, mode) * w["final_bn.scale"][None, :, None, None] + w["final_bn.offset"][None, :, None, None])
    return torch.tanh(conv(net, "final_conv", h))


def features(cfg, net, x):
    """D~(x): NCHW images -> [B, feat], sum-pooled after the last (non-downsampling) block."""
    blocks = len(discriminator_channels(cfg)[0])
    h = x
    for i in range(blocks):
        b = "block%d" % i
        t = conv(net, b + ".conv1", h if i == 0 else torch.relu(h))  # no ReLU on raw pixels
        t = conv(net, b + ".conv2", torch.relu(t))
        sc = conv(net, b + ".shortcut", h) if net.has(b + ".shortcut.w") else h
        if i < blocks - 1:
            t, sc = F.avg_pool2d(t, 2), F.avg_pool2d(sc, 2)
        h = t + sc
    return torch.relu(h).sum((2, 3))


def real_fake_logits(net, h, y):
    out = linear(net, "psi", h).reshape(-1)
    if y is not None and net.has("embed.w"):
        out = out + ((y @ net.param("embed.w")) * h).sum(1)
    return out


def one_hot(labels, k, device):
    """Rows for integer labels; -1 gives a zero row (as oneHotRows)."""
    labels = torch.as_tensor(labels, dtype=torch.long, device=device)
    out = torch.zeros(labels.shape[0], k, device=device)
    known = labels >= 0
    out[known, labels[known]] = 1
    return out
