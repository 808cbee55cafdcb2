#include "conv.h"
#include <cblas.h>
#include <stdlib.h>
#include <string.h>


void scratch_free(Scratch *s) {
  free(s->data);
  free(s->filter);
  s->data = s->filter = NULL;
  s->capacity = s->filter_capacity = 0;
}

static float *scratch_get(Scratch *s, size_t floats) {
  if (floats <= s->capacity) return s->data;
  free(s->data);
  s->data = malloc(floats * sizeof(float));
  s->capacity = s->data ? floats : 0;
  return s->data;
}

static size_t patch_size(const ConvDims *d) { return (size_t)d->kh * d->kw * d->ci; }
static size_t out_pixels(const ConvDims *d) { return (size_t)d->ho * d->wo; }

// A 1×1 stride-1 unpadded conv needs no im2col: the input already is the [pixels][Ci] matrix.
static int is_pointwise(const ConvDims *d) {
  return d->kh == 1 && d->kw == 1 && d->sh == 1 && d->sw == 1 && d->pt == 0 && d->pl == 0 &&
         d->ho == d->h && d->wo == d->w;
}

static int images_per_chunk(const ConvDims *d, const Scratch *s) {
  size_t per_image = out_pixels(d) * patch_size(d);
  size_t n = per_image ? s->chunk_floats / per_image : 1;
  if (n < 1) n = 1;
  if (n > (size_t)d->b) n = (size_t)d->b;
  return (int)n;
}

// The source of receptive-field cell (oh, ow, ky, kx) of image b, or NULL where it falls in padding.
static const float *cell(const ConvDims *d, const float *x, int b, int oh, int ow, int ky, int kx) {
  int iy = oh * d->sh - d->pt + ky * d->dh;
  int ix = ow * d->sw - d->pl + kx * d->dw;
  if (iy < 0 || iy >= d->h || ix < 0 || ix >= d->w) return NULL;
  return x + (((size_t)b * d->h + iy) * d->w + ix) * d->ci;
}

static void im2col(const ConvDims *d, const float *x, int b0, int nb, float *col) {
  float *row = col;
  for (int b = b0; b < b0 + nb; b++)
    for (int oh = 0; oh < d->ho; oh++)
      for (int ow = 0; ow < d->wo; ow++) {
        float *dst = row;
        for (int ky = 0; ky < d->kh; ky++)
          for (int kx = 0; kx < d->kw; kx++, dst += d->ci) {
            const float *src = cell(d, x, b, oh, ow, ky, kx);
            // plain loops, not memcpy: rows are short (Ci floats), a call per row costs more than the copy
            if (src)
              for (int c = 0; c < d->ci; c++) dst[c] = src[c];
            else
              for (int c = 0; c < d->ci; c++) dst[c] = 0.0f;
          }
        row += patch_size(d);
      }
}

// The adjoint of im2col: every column entry is added back onto the input cell it was copied from.
static void col2im_add(const ConvDims *d, const float *col, int b0, int nb, float *dx) {
  const float *row = col;
  for (int b = b0; b < b0 + nb; b++)
    for (int oh = 0; oh < d->ho; oh++)
      for (int ow = 0; ow < d->wo; ow++) {
        const float *src = row;
        for (int ky = 0; ky < d->kh; ky++)
          for (int kx = 0; kx < d->kw; kx++, src += d->ci) {
            float *dst = (float *)cell(d, dx, b, oh, ow, ky, kx);
            if (!dst) continue;
            for (int c = 0; c < d->ci; c++) dst[c] += src[c];
          }
        row += patch_size(d);
      }
}

int conv2d_forward(const ConvDims *d, const float *x, const float *filter, float *out, Scratch *s) {
  const int pointwise = is_pointwise(d);
  const int chunk = pointwise ? d->b : images_per_chunk(d, s);
  const size_t k = patch_size(d);
  float *col = pointwise ? NULL : scratch_get(s, (size_t)chunk * out_pixels(d) * k);
  if (!pointwise && !col) return -1;
  for (int b0 = 0; b0 < d->b; b0 += chunk) {
    int nb = d->b - b0 < chunk ? d->b - b0 : chunk;
    const float *a = x + (size_t)b0 * d->h * d->w * d->ci;
    if (!pointwise) {
      im2col(d, x, b0, nb, col);
      a = col;
    }
    int m = (int)((size_t)nb * out_pixels(d));
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, d->co, (int)k, 1.0f, a, (int)k, filter, d->co, 0.0f,
                out + (size_t)b0 * out_pixels(d) * d->co, d->co);
  }
  return 0;
}

// Stride 1: the input gradient is the forward conv of dy (padded by K-1-pad) with the filter flipped
// in space and its channels swapped — one GEMM with a Co·K·K inner dimension and no scatter-add.
static int backprop_input_as_conv(const ConvDims *d, const float *dy, const float *filter, float *dx, Scratch *s) {
  size_t taps = (size_t)d->kh * d->kw;
  size_t size = taps * d->ci * d->co;
  if (size > s->filter_capacity) {
    free(s->filter);
    s->filter = malloc(size * sizeof(float));
    s->filter_capacity = s->filter ? size : 0;
    if (!s->filter) return -1;
  }
  for (size_t t = 0; t < taps; t++) {
    const float *src = filter + (taps - 1 - t) * d->ci * d->co; // [ci][co] of the mirrored tap
    float *dst = s->filter + t * d->co * d->ci;                  // [co][ci]
    for (int i = 0; i < d->ci; i++)
      for (int o = 0; o < d->co; o++) dst[(size_t)o * d->ci + i] = src[(size_t)i * d->co + o];
  }
  ConvDims t = {
    .b = d->b, .h = d->ho, .w = d->wo, .ci = d->co, .ho = d->h, .wo = d->w, .co = d->ci,
    .kh = d->kh, .kw = d->kw, .sh = 1, .sw = 1, .dh = 1, .dw = 1, .pt = d->kh - 1 - d->pt, .pl = d->kw - 1 - d->pl,
  };
  return conv2d_forward(&t, dy, s->filter, dx, s);
}

int conv2d_backprop_input(const ConvDims *d, const float *dy, const float *filter, float *dx, Scratch *s) {
  const int pointwise = is_pointwise(d);
  if (!pointwise && d->sh == 1 && d->sw == 1 && d->dh == 1 && d->dw == 1 && d->pt < d->kh && d->pl < d->kw)
    return backprop_input_as_conv(d, dy, filter, dx, s);
  const int chunk = pointwise ? d->b : images_per_chunk(d, s);
  const size_t k = patch_size(d);
  float *col = pointwise ? NULL : scratch_get(s, (size_t)chunk * out_pixels(d) * k);
  if (!pointwise && !col) return -1;
  if (!pointwise) memset(dx, 0, (size_t)d->b * d->h * d->w * d->ci * sizeof(float));
  for (int b0 = 0; b0 < d->b; b0 += chunk) {
    int nb = d->b - b0 < chunk ? d->b - b0 : chunk;
    int m = (int)((size_t)nb * out_pixels(d));
    float *dcol = pointwise ? dx + (size_t)b0 * d->h * d->w * d->ci : col;
    // dcol[m][K] = dy[m][Co] · filter[K][Co]ᵀ
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, (int)k, d->co, 1.0f,
                dy + (size_t)b0 * out_pixels(d) * d->co, d->co, filter, d->co, 0.0f, dcol, (int)k);
    if (!pointwise) col2im_add(d, col, b0, nb, dx);
  }
  return 0;
}

int conv2d_backprop_filter(const ConvDims *d, const float *x, const float *dy, float *dfilter, Scratch *s) {
  const int pointwise = is_pointwise(d);
  const int chunk = pointwise ? d->b : images_per_chunk(d, s);
  const size_t k = patch_size(d);
  float *col = pointwise ? NULL : scratch_get(s, (size_t)chunk * out_pixels(d) * k);
  if (!pointwise && !col) return -1;
  for (int b0 = 0; b0 < d->b; b0 += chunk) {
    int nb = d->b - b0 < chunk ? d->b - b0 : chunk;
    const float *a = x + (size_t)b0 * d->h * d->w * d->ci;
    if (!pointwise) {
      im2col(d, x, b0, nb, col);
      a = col;
    }
    int m = (int)((size_t)nb * out_pixels(d));
    // dfilter[K][Co] (+)= col[m][K]ᵀ · dy[m][Co]; the first chunk overwrites, later ones accumulate
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, d->co, m, 1.0f, a, (int)k,
                dy + (size_t)b0 * out_pixels(d) * d->co, d->co, b0 == 0 ? 0.0f : 1.0f, dfilter, d->co);
  }
  return 0;
}
