// Convolution kernels in tfjs's layouts (x NHWC, filter HWIO = [KH][KW][Ci][Co]) on a BLAS sgemm.
// Every kernel lowers to one GEMM per chunk of images through im2col: a row per output pixel holding
// its KH·KW·Ci receptive field, so the filter is already the [K][Co] right-hand matrix.
#ifndef S3GAN_CONV_H
#define S3GAN_CONV_H
#include <stddef.h>

typedef struct {
  int b, h, w, ci;      // input
  int ho, wo, co;       // output
  int kh, kw;           // filter
  int sh, sw, dh, dw;   // strides, dilations
  int pt, pl;           // padding before (top, left); padding after is implied by ho/wo
} ConvDims;

#define CONV_DIMS_COUNT 15
// addon.c fills a ConvDims from an Int32Array field by field: it must be exactly 15 ints.
_Static_assert(sizeof(ConvDims) == CONV_DIMS_COUNT * sizeof(int), "ConvDims must be 15 packed ints");

// One im2col block is at most this many floats (512 KB): it stays in L2 between im2col writing it and
// sgemm reading it, yet gives sgemm hundreds of rows per call.
#define DEFAULT_CHUNK_FLOATS ((size_t)128 << 10)

// Per Node environment (worker threads never share one): im2col memory and its size cap.
typedef struct {
  float *data;
  size_t capacity;     // floats allocated
  size_t chunk_floats; // cap on one im2col block (tests lower it to exercise the chunked path)
  float *filter;       // a rearranged filter (input gradient as a conv)
  size_t filter_capacity;
} Scratch;

void scratch_free(Scratch *s);

// Returns 0, or -1 when scratch memory could not be allocated.
int conv2d_forward(const ConvDims *d, const float *x, const float *filter, float *out, Scratch *s);
int conv2d_backprop_input(const ConvDims *d, const float *dy, const float *filter, float *dx, Scratch *s);
int conv2d_backprop_filter(const ConvDims *d, const float *x, const float *dy, float *dfilter, Scratch *s);

// Direct loops for layers with one input or output channel (direct.c), where im2col would cost more
// than the arithmetic. The three conv2d_* functions above dispatch to them.
int conv_is_narrow(const ConvDims *d);
void direct_forward(const ConvDims *d, const float *x, const float *filter, float *out);
void direct_backprop_input(const ConvDims *d, const float *dy, const float *filter, float *dx);
void direct_backprop_filter(const ConvDims *d, const float *x, const float *dy, float *dfilter);

#endif
