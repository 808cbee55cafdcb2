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

// Output pixels (rows of the im2col matrix) per GEMM: a block of chunk_floats stays in L2, so the copy
// im2col makes is read back from cache, not from memory (a whole-batch im2col made the conv memory-bound).
static size_t rows_per_chunk(const ConvDims *d, const Scratch *s) {
  size_t rows = s->chunk_floats / patch_size(d);
  return rows < 1 ? 1 : rows;
}

// The source of receptive-field cell (ky, kx) of output pixel p = (b·Ho + oh)·Wo + ow, or NULL in padding.
static const float *cell(const ConvDims *d, const float *x, size_t p, int ky, int kx) {
  int ow = (int)(p % d->wo);
  int oh = (int)(p / d->wo % d->ho);
  size_t b = p / d->wo / d->ho;
  int iy = oh * d->sh - d->pt + ky * d->dh;
  int ix = ow * d->sw - d->pl + kx * d->dw;
  if (iy < 0 || iy >= d->h || ix < 0 || ix >= d->w) return NULL;
  return x + ((b * d->h + iy) * d->w + ix) * d->ci;
}

// Rows p0 … p0+n-1 of the im2col matrix: each output pixel's KH·KW·Ci receptive field.
static void im2col(const ConvDims *d, const float *x, size_t p0, size_t n, float *col) {
  for (size_t p = p0; p < p0 + n; p++) {
    float *dst = col + (p - p0) * patch_size(d);
    for (int ky = 0; ky < d->kh; ky++)
      for (int kx = 0; kx < d->kw; kx++, dst += d->ci) {
        const float *src = cell(d, x, p, ky, kx);
        // plain loops, not memcpy: rows are short (Ci floats), a call per row costs more than the copy
        if (src)
          for (int c = 0; c < d->ci; c++) dst[c] = src[c];
        else
          for (int c = 0; c < d->ci; c++) dst[c] = 0.0f;
      }
  }
}

// The adjoint of im2col: every column entry is added back onto the input cell it was copied from.
static void col2im_add(const ConvDims *d, const float *col, size_t p0, size_t n, float *dx) {
  for (size_t p = p0; p < p0 + n; p++) {
    const float *src = col + (p - p0) * patch_size(d);
    for (int ky = 0; ky < d->kh; ky++)
      for (int kx = 0; kx < d->kw; kx++, src += d->ci) {
        float *dst = (float *)cell(d, dx, p, ky, kx);
        if (!dst) continue;
        for (int c = 0; c < d->ci; c++) dst[c] += src[c];
      }
  }
}

static size_t total_rows(const ConvDims *d) { return (size_t)d->b * out_pixels(d); }
static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

// The read operand and written result of one conv kernel's per-block GEMM.
typedef struct {
  const float *in;
  float *out;
} ConvOperands;

typedef void (*BlockGemm)(const ConvDims *d, const float *col, size_t p0, size_t n, const ConvOperands *ops);

// im2col of x in L2-sized blocks of output pixels [p0, p0+n), each handed to `gemm` while in cache.
static int for_each_im2col_block(const ConvDims *d, const float *x, Scratch *s, BlockGemm gemm, const ConvOperands *ops) {
  const size_t rows = total_rows(d);
  const size_t chunk = min_size(rows_per_chunk(d, s), rows);
  float *col = scratch_get(s, chunk * patch_size(d));
  if (!col) return -1;
  for (size_t p0 = 0; p0 < rows; p0 += chunk) {
    size_t n = min_size(chunk, rows - p0);
    im2col(d, x, p0, n, col);
    gemm(d, col, p0, n, ops);
  }
  return 0;
}

// out[p0 … p0+n][Co] = col[n][K] · filter[K][Co]
static void forward_block(const ConvDims *d, const float *col, size_t p0, size_t n, const ConvOperands *ops) {
  int k = (int)patch_size(d);
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, d->co, k, 1.0f, col, k, ops->in, d->co, 0.0f,
              ops->out + p0 * d->co, d->co);
}

// dfilter[K][Co] (+)= col[n][K]ᵀ · dy[n][Co]; the first block overwrites, later ones accumulate
static void filter_grad_block(const ConvDims *d, const float *col, size_t p0, size_t n, const ConvOperands *ops) {
  int k = (int)patch_size(d);
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, d->co, (int)n, 1.0f, col, k, ops->in + p0 * d->co, d->co,
              p0 == 0 ? 0.0f : 1.0f, ops->out, d->co);
}

int conv2d_forward(const ConvDims *d, const float *x, const float *filter, float *out, Scratch *s) {
  const size_t k = patch_size(d), rows = total_rows(d);
  if (conv_is_narrow(d)) {
    direct_forward(d, x, filter, out);
    return 0;
  }
  if (is_pointwise(d)) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)rows, d->co, (int)k, 1.0f, x, (int)k, filter, d->co, 0.0f, out, d->co);
    return 0;
  }
  ConvOperands ops = {filter, out};
  return for_each_im2col_block(d, x, s, forward_block, &ops);
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
  const size_t k = patch_size(d), rows = total_rows(d);
  if (conv_is_narrow(d)) {
    direct_backprop_input(d, dy, filter, dx);
    return 0;
  }
  if (is_pointwise(d)) { // dx[rows][Ci] = dy[rows][Co] · filter[Ci][Co]ᵀ
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rows, (int)k, d->co, 1.0f, dy, d->co, filter, d->co, 0.0f, dx, (int)k);
    return 0;
  }
  if (d->sh == 1 && d->sw == 1 && d->dh == 1 && d->dw == 1 && d->pt < d->kh && d->pl < d->kw)
    return backprop_input_as_conv(d, dy, filter, dx, s);
  const size_t chunk = min_size(rows_per_chunk(d, s), rows);
  float *col = scratch_get(s, chunk * k);
  if (!col) return -1;
  memset(dx, 0, (size_t)d->b * d->h * d->w * d->ci * sizeof(float));
  for (size_t p0 = 0; p0 < rows; p0 += chunk) {
    size_t n = min_size(chunk, rows - p0);
    // dcol[n][K] = dy[n][Co] · filter[K][Co]ᵀ, then scattered back onto dx
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)k, d->co, 1.0f, dy + p0 * d->co, d->co, filter, d->co,
                0.0f, col, (int)k);
    col2im_add(d, col, p0, n, dx);
  }
  return 0;
}

int conv2d_backprop_filter(const ConvDims *d, const float *x, const float *dy, float *dfilter, Scratch *s) {
  const size_t k = patch_size(d), rows = total_rows(d);
  if (conv_is_narrow(d)) {
    direct_backprop_filter(d, x, dy, dfilter);
    return 0;
  }
  if (is_pointwise(d)) { // dfilter[Ci][Co] = x[rows][Ci]ᵀ · dy[rows][Co]
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, d->co, (int)rows, 1.0f, x, (int)k, dy, d->co, 0.0f, dfilter, d->co);
    return 0;
  }
  ConvOperands ops = {dy, dfilter};
  return for_each_im2col_block(d, x, s, filter_grad_block, &ops);
}
