#ifndef S3GAN_CHANNEL_H
#define S3GAN_CHANNEL_H
#include <stddef.h>

// out[k] = scale · Σ_r x[r][k]; `block` is C floats of scratch.
void channel_sum(const float *x, size_t rows, size_t c, float scale, float *out, float *block);
// out[r][k] = x[r][k] · scale[k] + shift[k] (scale may be NULL: a bias add).
void channel_affine(const float *x, size_t rows, size_t c, const float *scale, const float *shift, float *out);
// tfjs batchNorm as an affine map: scale = γ/√(σ² + ε), shift = β − μ·scale (γ, β may be NULL).
void batch_norm_coefficients(size_t c, const float *mean, const float *variance, const float *offset, const float *gamma, float epsilon, float *scale, float *shift);

#endif
