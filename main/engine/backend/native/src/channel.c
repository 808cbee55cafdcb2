// Per-channel kernels over a [rows][C] view of an NHWC tensor (channels last, so every row is one
// pixel's C values). tfjs-wasm reduces over leading axes by transposing first and broadcasts a [C]
// operand with a slow general loop; these are single passes the compiler vectorises.
#include "channel.h"
#include <math.h>
#include <string.h>

// Rows summed into a block total before it is added to the result: keeps float rounding near that
// of a pairwise sum for the ~10⁵-row reductions of a training step.
#define BLOCK_ROWS 256

void channel_sum(const float *restrict x, size_t rows, size_t c, float scale, float *restrict out, float *restrict block) {
  memset(out, 0, c * sizeof(float));
  for (size_t r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    size_t r1 = r0 + BLOCK_ROWS < rows ? r0 + BLOCK_ROWS : rows;
    memset(block, 0, c * sizeof(float));
    for (size_t r = r0; r < r1; r++) {
      const float *row = x + r * c;
      for (size_t k = 0; k < c; k++) block[k] += row[k];
    }
    for (size_t k = 0; k < c; k++) out[k] += block[k];
  }
  if (scale != 1.0f)
    for (size_t k = 0; k < c; k++) out[k] *= scale;
}

void channel_affine(const float *restrict x, size_t rows, size_t c, const float *restrict scale, const float *restrict shift, float *restrict out) {
  for (size_t r = 0; r < rows; r++) {
    const float *row = x + r * c;
    float *o = out + r * c;
    if (scale)
      for (size_t k = 0; k < c; k++) o[k] = row[k] * scale[k] + shift[k];
    else
      for (size_t k = 0; k < c; k++) o[k] = row[k] + shift[k];
  }
}

void batch_norm_coefficients(size_t c, const float *mean, const float *variance, const float *offset, const float *gamma, float epsilon, float *scale, float *shift) {
  for (size_t k = 0; k < c; k++) {
    float s = (gamma ? gamma[k] : 1.0f) / sqrtf(variance[k] + epsilon);
    scale[k] = s;
    shift[k] = (offset ? offset[k] : 0.0f) - mean[k] * s;
  }
}
