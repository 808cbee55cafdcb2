// Direct (no im2col, no BLAS) convolutions for layers with a single input or output channel: a
// greyscale D's first conv (Ci = 1) and G's last (Co = 1). There im2col copies K·K·Ci floats per
// output pixel to do only K·K·Ci·Co multiply-adds — the copy costs more than the math — so these
// loops read the input cells in place.
#include "conv.h"
#include <string.h>

// These loops are short and not BLAS: an AVX2 copy, picked at load time where the CPU has it, runs
// them 1.1–1.7× faster (native-micro.ts). Needs ifunc support (GCC/Clang on x86-64 Linux).
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__)
#define S3GAN_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define S3GAN_CLONES
#endif

// Loops over every output pixel p and every in-bounds tap; BODY sees p, tap, and `cellOffset`, the
// offset of that tap's input cell (times Ci) in x / dx.
#define FOR_EACH_TAP(d, BODY)                                                            \
  do {                                                                                   \
    size_t p = 0;                                                                        \
    for (int b = 0; b < (d)->b; b++)                                                     \
      for (int oh = 0; oh < (d)->ho; oh++)                                               \
        for (int ow = 0; ow < (d)->wo; ow++, p++)                                        \
          for (int ky = 0; ky < (d)->kh; ky++) {                                         \
            int iy = oh * (d)->sh - (d)->pt + ky * (d)->dh;                              \
            if (iy < 0 || iy >= (d)->h) continue;                                        \
            for (int kx = 0; kx < (d)->kw; kx++) {                                       \
              int ix = ow * (d)->sw - (d)->pl + kx * (d)->dw;                            \
              if (ix < 0 || ix >= (d)->w) continue;                                      \
              size_t tap = (size_t)ky * (d)->kw + kx;                                    \
              size_t cellOffset = (((size_t)b * (d)->h + iy) * (d)->w + ix) * (d)->ci;   \
              BODY                                                                       \
            }                                                                            \
          }                                                                              \
  } while (0)

// Measured (test/bench/cpu/native-micro.ts): direct wins for a single input or output channel
// (Co = 1: 5.7 vs 2.4 GFLOP/s forward); with 3 channels im2col + sgemm is already 3–4× faster.
int conv_is_narrow(const ConvDims *d) { return d->ci == 1 || d->co == 1; }

// Σ a[i]·b[i] in 8 independent partial sums, so the compiler can vectorise it without reassociating.
static float dot(const float *a, const float *b, int n) {
  float part[8] = {0};
  int i = 0;
  for (; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; j++) part[j] += a[i + j] * b[i + j];
  float sum = 0;
  for (; i < n; i++) sum += a[i] * b[i];
  for (int j = 0; j < 8; j++) sum += part[j];
  return sum;
}

S3GAN_CLONES void direct_forward(const ConvDims *d, const float *x, const float *filter, float *out) {
  const int ci = d->ci, co = d->co;
  memset(out, 0, (size_t)d->b * d->ho * d->wo * co * sizeof(float));
  FOR_EACH_TAP(d, {
    const float *src = x + cellOffset;
    const float *w = filter + tap * ci * co;
    float *o = out + p * co;
    if (co == 1) {
      o[0] += dot(src, w, ci);
    } else {
      for (int c = 0; c < ci; c++) {
        const float v = src[c];
        for (int k = 0; k < co; k++) o[k] += v * w[c * co + k];
      }
    }
  });
}

S3GAN_CLONES void direct_backprop_input(const ConvDims *d, const float *dy, const float *filter, float *dx) {
  const int ci = d->ci, co = d->co;
  memset(dx, 0, (size_t)d->b * d->h * d->w * ci * sizeof(float));
  FOR_EACH_TAP(d, {
    const float *g = dy + p * co;
    const float *w = filter + tap * ci * co;
    float *dst = dx + cellOffset;
    if (co == 1) {
      const float gv = g[0];
      for (int c = 0; c < ci; c++) dst[c] += gv * w[c];
    } else {
      for (int c = 0; c < ci; c++) dst[c] += dot(w + c * co, g, co);
    }
  });
}

S3GAN_CLONES void direct_backprop_filter(const ConvDims *d, const float *x, const float *dy, float *dfilter) {
  const int ci = d->ci, co = d->co;
  memset(dfilter, 0, (size_t)d->kh * d->kw * ci * co * sizeof(float));
  FOR_EACH_TAP(d, {
    const float *src = x + cellOffset;
    const float *g = dy + p * co;
    float *dw = dfilter + tap * ci * co;
    if (co == 1) {
      const float gv = g[0];
      for (int c = 0; c < ci; c++) dw[c] += gv * src[c];
    } else {
      for (int c = 0; c < ci; c++) {
        const float v = src[c];
        for (int k = 0; k < co; k++) dw[c * co + k] += v * g[k];
      }
    }
  });
}
