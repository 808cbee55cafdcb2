"""Port of main/engine/base/prng.ts (mulberry32 + hashSeed), draw for draw.

Every random draw of a run (initial weights, batch order, z, fake labels, augmentation) comes from this
generator, so a job started from the same seed or checkpoint sees exactly the app's batches. JS numbers
are doubles and Math.imul/>>> are 32-bit integer ops; both are reproduced with explicit masks.
"""
import math

M32 = 0xFFFFFFFF


def imul(a, b):
    """Math.imul: the low 32 bits of a*b (as unsigned here; callers mask or xor as JS does)."""
    return ((a & M32) * (b & M32)) & M32


def hash_seed(seed):
    h = (seed & M32) ^ 0x85EBCA6B
    h = imul(h ^ (h >> 16), 0x7FEB352D)
    h = imul(h ^ (h >> 15), 0x846CA68B)
    return (h ^ (h >> 16)) & M32


def js_round(x):
    """Math.round: halves go up (Python's round() goes to even)."""
    return math.floor(x + 0.5)


class Prng:
    def __init__(self, seed=None, state=None):
        self.s = (state["s"] if state is not None else hash_seed(seed)) & M32

    def state(self):
        return {"s": self.s}

    def next(self):
        self.s = (self.s + 0x6D2B79F5) & M32
        t = self.s
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & M32
        return ((t ^ (t >> 14)) & M32) / 4294967296.0

    def int(self, n):
        return math.floor(self.next() * n)

    def normal(self):
        u = self.next()
        while u <= 1e-12:
            u = self.next()
        v = self.next()
        return math.sqrt(-2.0 * math.log(u)) * math.cos(2.0 * math.pi * v)

    def normals(self, n, scale=1.0):
        """n draws as doubles (fillNormal); callers store them as float32 like a Float32Array."""
        return [self.normal() * scale for _ in range(n)]

    @staticmethod
    def derive(seed, stream):
        return Prng(hash_seed((seed & M32) ^ imul(stream + 1, 0x9E3779B1)))


def permutation(n, rng):
    p = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.int(i + 1)
        p[i], p[j] = p[j], p[i]
    return p
