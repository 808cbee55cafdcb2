#!/usr/bin/python3
"""PyTorch twin of our S3GAN trainer's step (main/engine/gan/step.ts), for the side-by-side CPU bench.

Builds exactly our G and D from a spec (channel lists and z chunks come from our gan-config.ts via the
TS side, so there is one source of truth): BigGAN ResNet G with class-conditional BN (gamma = 1 + linear),
hierarchical z, SN on every G conv/fc; ResNet D with SN (1 power iteration per update, vectors refreshed
outside autograd, like ours), sum pooling, projection + rotation + classifier heads; hinge loss on
un-rotated images, rotation CE (real -> L_D x 1.0, fake -> L_G x 0.2), co-training CE on the labeled
sub-batch and the head's argmax as y for unlabeled reals; Adam beta1=0 beta2=0.999; EMA of G.

Run with Debian's /usr/bin/python3 (apt-get install -y python3-torch). Modes:
  s3gan_step.py --spec JSON --serve      one line "step" on stdin -> one JSON line {"ms": ...} on stdout
  s3gan_step.py --preset small32 --steps 10 [--threads 2]    standalone median
"""
import argparse
import json
import math
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.stderr.write("PyTorch is missing for this Python. Install Debian's build: sudo apt-get install -y python3-torch\n"
                     "and run this script with /usr/bin/python3 (not a python3 from another prefix).\n")
    sys.exit(3)

# Specs for standalone use; the TS bench passes its own (derived from main/engine/models/gan-config.ts).
PRESETS = {
    "small32": dict(resolution=32, channels=3, ch=32, batch=32),
    "mnist": dict(resolution=32, channels=1, ch=8, batch=32),
}


def standalone_spec(name):
    p = PRESETS[name]
    ch = p["ch"]
    return dict(p, numClasses=10, embedYDim=128, zChunks=[20, 20, 20, 20], gSpectralNorm=True,
                gIn=[4 * ch] * 3, gOut=[4 * ch] * 3, dIn=[p["channels"]] + [2 * ch] * 3, dOut=[2 * ch] * 4,
                heads=dict(projection=True, rotation=True, classifier=True), conditionSeed=True, dSteps=2, labeled=8, rotated=8,
                lrG=2e-4, lrD=4e-4, emaDecay=0.999)


class Params:
    """Named parameters plus SN vectors (u [out], v [fanIn]) refreshed once per optimiser update."""

    def __init__(self, gen):
        self.w = {}
        self.sn = {}
        self.gen = gen

    def glorot(self, name, shape, fan_in, fan_out, sn):
        std = math.sqrt(2.0 / (fan_in + fan_out))
        self.w[name] = (torch.randn(shape, generator=self.gen) * std).requires_grad_()
        if sn:
            out = shape[0]
            u = torch.randn(1, out, generator=self.gen)
            self.sn[name] = [u / u.norm(), torch.zeros(1, fan_in)]

    def zeros(self, name, n, value=0.0):
        self.w[name] = torch.full((n,), value).requires_grad_()

    def linear(self, name, cin, cout, sn, bias):
        self.glorot(name + ".w", (cout, cin), cin, cout, sn)  # torch layout [out, in]
        if bias:
            self.zeros(name + ".b", cout)

    def conv(self, name, k, cin, cout, sn):
        self.glorot(name + ".w", (cout, cin, k, k), k * k * cin, k * k * cout, sn)
        self.zeros(name + ".b", cout)

    @torch.no_grad()
    def refresh(self):
        for name, uv in self.sn.items():
            m = self.w[name].reshape(self.w[name].shape[0], -1)  # [out, fanIn]
            v = uv[0] @ m
            v = v / (v.norm() + 1e-12)
            u = v @ m.t()
            uv[0], uv[1] = u / (u.norm() + 1e-12), v

    def get(self, name):
        w = self.w[name]
        uv = self.sn.get(name)
        if uv is None:
            return w
        sigma = (uv[0] @ w.reshape(w.shape[0], -1) @ uv[1].t()).sum()
        return w / sigma

    def list(self):
        return list(self.w.values())


def lin(p, name, x):
    return F.linear(x, p.get(name + ".w"), p.w.get(name + ".b"))


def conv(p, name, x):
    w = p.get(name + ".w")
    return F.conv2d(x, w, p.w[name + ".b"], padding=w.shape[-1] // 2)


def bn(x):
    return F.batch_norm(x, None, None, training=True, eps=1e-4)


def make_g(s, gen):
    p = Params(gen)
    sn = s["gSpectralNorm"]
    chunks = s["zChunks"]
    p.linear("embed_y", s["numClasses"], s["embedYDim"], False, False)
    p.linear("fc", chunks[0] + (s["embedYDim"] if s.get("conditionSeed") else 0), 16 * s["gIn"][0], sn, True)
    cond = s["embedYDim"] + (chunks[1] if len(chunks) > 1 else 0)
    for i, (ci, co) in enumerate(zip(s["gIn"], s["gOut"])):
        b = "block%d" % i
        p.linear(b + ".bn1.gamma", cond, ci, False, False)
        p.linear(b + ".bn1.beta", cond, ci, False, False)
        p.conv(b + ".conv1", 3, ci, co, sn)
        p.linear(b + ".bn2.gamma", cond, co, False, False)
        p.linear(b + ".bn2.beta", cond, co, False, False)
        p.conv(b + ".conv2", 3, co, co, sn)
        p.conv(b + ".shortcut", 1, ci, co, sn)
    p.zeros("final_bn.scale", s["gOut"][-1], 1.0)
    p.zeros("final_bn.offset", s["gOut"][-1], 0.0)
    p.conv("final_conv", 3, s["gOut"][-1], s["channels"], sn)
    return p


def cbn(p, name, x, cond):
    gamma = 1 + lin(p, name + ".gamma", cond)
    beta = lin(p, name + ".beta", cond)
    return bn(x) * gamma[:, :, None, None] + beta[:, :, None, None]


def up(x):
    return F.interpolate(x, scale_factor=2, mode="nearest")


def generate(s, p, z, y):
    zs = torch.split(z, s["zChunks"], 1)
    yemb = lin(p, "embed_y", y)
    seed_in = torch.cat([zs[0], yemb], 1) if s.get("conditionSeed") else zs[0]
    h = lin(p, "fc", seed_in).reshape(-1, 4, 4, s["gIn"][0]).permute(0, 3, 1, 2)  # ours reshapes NHWC
    for i in range(len(s["gIn"])):
        b = "block%d" % i
        c = torch.cat([zs[i + 1], yemb], 1) if len(zs) > 1 else yemb
        t = conv(p, b + ".conv1", up(F.relu(cbn(p, b + ".bn1", h, c))))
        t = conv(p, b + ".conv2", F.relu(cbn(p, b + ".bn2", t, c)))
        h = t + up(conv(p, b + ".shortcut", h))
    h = F.relu(bn(h) * p.w["final_bn.scale"][:, None, None] + p.w["final_bn.offset"][:, None, None])
    return torch.tanh(conv(p, "final_conv", h))


def make_d(s, gen):
    p = Params(gen)
    for i, (ci, co) in enumerate(zip(s["dIn"], s["dOut"])):
        b = "block%d" % i
        p.conv(b + ".conv1", 3, ci, co, True)
        p.conv(b + ".conv2", 3, co, co, True)
        if ci != co:
            p.conv(b + ".shortcut", 1, ci, co, True)
    feat = s["dOut"][-1]
    h = s["heads"]
    p.linear("psi", feat, 1, True, True)
    if h["projection"]:
        p.linear("embed", s["numClasses"], feat, True, False)
    if h["rotation"]:
        p.linear("rotation", feat, 4, True, True)
    if h["classifier"]:
        p.linear("classifier", feat, s["numClasses"], True, True)
    return p


def features(s, p, x):
    n = len(s["dIn"])
    h = x
    for i in range(n):
        b = "block%d" % i
        t = conv(p, b + ".conv1", h if i == 0 else F.relu(h))
        t = conv(p, b + ".conv2", F.relu(t))
        sc = conv(p, b + ".shortcut", h) if (b + ".shortcut.w") in p.w else h
        if i < n - 1:
            t, sc = F.avg_pool2d(t, 2), F.avg_pool2d(sc, 2)
        h = t + sc
    return F.relu(h).sum((2, 3))


def logits(p, h, y):
    out = lin(p, "psi", h).reshape(-1)
    if "embed.w" in p.w:
        out = out + (y @ p.get("embed.w").t() * h).sum(1)  # embed weight [feat, classes] in torch layout
    return out


def rotation_batch(x, n):
    tail = x[x.shape[0] - n:]
    imgs = torch.cat([tail] + [torch.rot90(tail, k, (2, 3)) for k in (1, 2, 3)], 0)
    labels = torch.arange(4).repeat_interleave(n)
    return imgs, labels


def one_hot(labels, k):
    out = torch.zeros(labels.shape[0], k)
    known = labels >= 0
    out[known, labels[known]] = 1
    return out


class Adam:
    """torch.optim.Adam with beta1 = 0, beta2 = 0.999 (BigGAN); foreach implementation (the fast one)."""

    def __init__(self, params, lr):
        self.opt = torch.optim.Adam(params, lr=lr, betas=(0.0, 0.999), eps=1e-8, foreach=True)

    def step(self, loss):
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()


class Trainer:
    def __init__(self, s, seed=1):
        self.s = s
        gen = torch.Generator().manual_seed(seed)
        self.g = make_g(s, gen)
        self.d = make_d(s, gen)
        self.g.refresh()
        self.d.refresh()
        self.ema = [w.detach().clone() for w in self.g.list()]
        self.opt_g = Adam(self.g.list(), s["lrG"])
        self.opt_d = Adam(self.d.list(), s["lrD"])
        r = s["resolution"]
        # A uint8 pool converted per step to [-1, 1], as our sampler does.
        self.pool = torch.randint(0, 256, (256, s["channels"], r, r), dtype=torch.uint8, generator=gen)
        self.t = 0

    def real(self):
        s = self.s
        idx = torch.randint(0, self.pool.shape[0], (s["batch"],))
        x = self.pool[idx].float() / 127.5 - 1
        labels = torch.full((s["batch"],), -1, dtype=torch.long)
        labels[: s["labeled"]] = torch.randint(0, s["numClasses"], (s["labeled"],))
        return x, labels

    def fake(self):
        s = self.s
        return torch.randn(s["batch"], sum(s["zChunks"])), torch.randint(0, s["numClasses"], (s["batch"],))

    def d_step(self):
        s, d = self.s, self.d
        B, K = s["batch"], s["numClasses"]
        x, labels = self.real()
        z, yf = self.fake()
        with torch.no_grad():
            fake = generate(s, self.g, z, one_hot(yf, K))
        d.refresh()
        parts = [x, fake]
        n = s["rotated"] if s["heads"]["rotation"] else 0
        if n:
            rr, rlabels = rotation_batch(x, n)
            parts += [rr]  # like ours: only real rotations enter L_D
        h = features(s, d, torch.cat(parts, 0))
        h_real, h_fake = h[:B], h[B:2 * B]
        if s["heads"]["classifier"] and bool((labels < 0).any()):
            with torch.no_grad():
                pred = lin(d, "classifier", h_real).argmax(1)
            y_real = one_hot(torch.where(labels >= 0, labels, pred), K)
        else:
            y_real = one_hot(labels, K)
        loss = F.relu(1 - logits(d, h_real, y_real)).mean() + F.relu(1 + logits(d, h_fake, one_hot(yf, K))).mean()
        if s["heads"]["classifier"]:
            L = s["labeled"]
            loss = loss + F.cross_entropy(lin(d, "classifier", h_real[:L]), labels[:L])
        if n:
            loss = loss + F.cross_entropy(lin(d, "rotation", h[2 * B: 2 * B + 4 * n]), rlabels)
        self.opt_d.step(loss)
        return loss.item()

    def g_step(self):
        s, g, d = self.s, self.g, self.d
        B, K = s["batch"], s["numClasses"]
        g.refresh()
        z, yf = self.fake()
        y = one_hot(yf, K)
        for w in d.list():
            w.requires_grad_(False)  # ours differentiates G's variables only
        fake = generate(s, g, z, y)
        n = s["rotated"] if s["heads"]["rotation"] else 0
        rot = rotation_batch(fake, n) if n else None
        h = features(s, d, torch.cat([fake, rot[0]], 0) if rot else fake)
        loss = -logits(d, h[:B], y).mean()
        if rot:
            loss = loss + 0.2 * F.cross_entropy(lin(d, "rotation", h[B:]), rot[1])
        self.opt_g.step(loss)
        for w in d.list():
            w.requires_grad_(True)
        self.t += 1
        with torch.no_grad():
            decay = s["emaDecay"]
            torch._foreach_mul_(self.ema, decay)
            torch._foreach_add_(self.ema, [w.detach() for w in g.list()], alpha=1 - decay)
        return loss.item()

    def step(self):
        for _ in range(self.s["dSteps"]):
            self.d_step()
        self.g_step()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spec")
    ap.add_argument("--preset", choices=sorted(PRESETS))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--serve", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    spec = json.loads(a.spec) if a.spec else standalone_spec(a.preset or "small32")
    tr = Trainer(spec)
    if a.serve:
        print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
        for line in sys.stdin:
            if line.strip() != "step":
                break
            t = time.perf_counter()
            tr.step()
            print(json.dumps({"ms": (time.perf_counter() - t) * 1000}), flush=True)
        return
    tr.step()
    times = []
    for _ in range(a.steps):
        t = time.perf_counter()
        tr.step()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "median_ms": times[len(times) // 2]}))


if __name__ == "__main__":
    main()
