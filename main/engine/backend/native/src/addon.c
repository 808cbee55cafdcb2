// N-API entry points of the optional native kernels (ABI-stable: one build serves Node and Electron).
// The JS side passes views straight onto the wasm backend's heap, so nothing is copied: inputs are
// read and the output written in place. Every length is checked against the dims before any access,
// because a wrong write here would corrupt the wasm heap rather than throw.
#include <node_api.h>
#include <cblas.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "channel.h"
#include "conv.h"

#define CHECK(call)                                   \
  do {                                                \
    if ((call) != napi_ok) return throw_last(env);   \
  } while (0)

static napi_value throw_last(napi_env env) {
  const napi_extended_error_info *info = NULL;
  napi_get_last_error_info(env, &info);
  napi_throw_error(env, "S3GAN_NATIVE", info && info->error_message ? info->error_message : "N-API call failed");
  return NULL;
}

static napi_value fail(napi_env env, const char *message) {
  napi_throw_error(env, "S3GAN_NATIVE", message);
  return NULL;
}

static int float_array(napi_env env, napi_value v, float **data, size_t *length) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, length, (void **)data, &buffer, &offset) != napi_ok) return 0;
  return type == napi_float32_array;
}

static int read_dims(napi_env env, napi_value v, ConvDims *d) {
  napi_typedarray_type type;
  size_t length, offset;
  int32_t *values;
  napi_value buffer;
  if (napi_get_typedarray_info(env, v, &type, &length, (void **)&values, &buffer, &offset) != napi_ok) return 0;
  if (type != napi_int32_array || length != CONV_DIMS_COUNT) return 0;
  int *fields = (int *)d;
  for (size_t i = 0; i < CONV_DIMS_COUNT; i++) fields[i] = values[i];
  // sizes and steps at least 1, the two paddings (the last fields) at least 0
  for (size_t i = 0; i < CONV_DIMS_COUNT - 2; i++)
    if (fields[i] < 1) return 0;
  return d->pt >= 0 && d->pl >= 0;
}

typedef int (*ConvKernel)(const ConvDims *, const float *, const float *, float *, Scratch *);
typedef enum { ROLE_X, ROLE_FILTER, ROLE_DY } Role;

static size_t role_length(const ConvDims *d, Role r) {
  if (r == ROLE_X) return (size_t)d->b * d->h * d->w * d->ci;
  if (r == ROLE_FILTER) return (size_t)d->kh * d->kw * d->ci * d->co;
  return (size_t)d->b * d->ho * d->wo * d->co;
}

// (a, b, out, dims): a and b are read, out is written; their roles fix the lengths they must have.
static napi_value run_conv(napi_env env, napi_callback_info cb, ConvKernel kernel, Role ra, Role rb, Role rout) {
  size_t argc = 4;
  napi_value argv[4];
  Scratch *scratch = NULL;
  CHECK(napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  CHECK(napi_get_instance_data(env, (void **)&scratch));
  if (argc != 4) return fail(env, "expected (a, b, out, dims)");
  ConvDims d;
  if (!read_dims(env, argv[3], &d)) return fail(env, "dims must be an Int32Array of 15 valid sizes");
  float *a, *b, *out;
  size_t la, lb, lout;
  if (!float_array(env, argv[0], &a, &la) || !float_array(env, argv[1], &b, &lb) || !float_array(env, argv[2], &out, &lout))
    return fail(env, "a, b and out must be Float32Arrays");
  if (la != role_length(&d, ra) || lb != role_length(&d, rb) || lout != role_length(&d, rout))
    return fail(env, "array lengths do not match dims");
  if (kernel(&d, a, b, out, scratch) != 0) return fail(env, "out of memory for the im2col buffer");
  return NULL;
}

static napi_value conv2d(napi_env env, napi_callback_info cb) {
  return run_conv(env, cb, conv2d_forward, ROLE_X, ROLE_FILTER, ROLE_DY);
}
static napi_value conv2d_bp_input(napi_env env, napi_callback_info cb) {
  return run_conv(env, cb, conv2d_backprop_input, ROLE_DY, ROLE_FILTER, ROLE_X);
}
static napi_value conv2d_bp_filter(napi_env env, napi_callback_info cb) {
  return run_conv(env, cb, conv2d_backprop_filter, ROLE_X, ROLE_DY, ROLE_FILTER);
}

// A Float32Array, or NULL for null/undefined; 0 when the value is neither.
static int optional_float_array(napi_env env, napi_value v, float **data, size_t *length) {
  napi_valuetype type;
  if (napi_typeof(env, v, &type) != napi_ok) return 0;
  if (type == napi_null || type == napi_undefined) {
    *data = NULL;
    *length = 0;
    return 1;
  }
  return float_array(env, v, data, length);
}

// channelSum(x, out, scale): out[k] = scale · Σ_rows x[row][k], C = out.length.
static napi_value channel_sum_js(napi_env env, napi_callback_info cb) {
  size_t argc = 3;
  napi_value argv[3];
  double scale;
  CHECK(napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  float *x, *out;
  size_t lx, c;
  if (argc != 3 || !float_array(env, argv[0], &x, &lx) || !float_array(env, argv[1], &out, &c) || napi_get_value_double(env, argv[2], &scale) != napi_ok)
    return fail(env, "expected (x: Float32Array, out: Float32Array, scale: number)");
  if (c == 0 || lx % c != 0) return fail(env, "x length must be a multiple of out length");
  float *block = malloc(c * sizeof(float));
  if (!block) return fail(env, "out of memory");
  channel_sum(x, lx / c, c, (float)scale, out, block);
  free(block);
  return NULL;
}

// channelAffine(x, scale | null, shift, out): out = x · scale + shift per channel, C = shift.length.
static napi_value channel_affine_js(napi_env env, napi_callback_info cb) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  float *x, *scale, *shift, *out;
  size_t lx, ls, c, lo;
  if (argc != 4 || !float_array(env, argv[0], &x, &lx) || !optional_float_array(env, argv[1], &scale, &ls) ||
      !float_array(env, argv[2], &shift, &c) || !float_array(env, argv[3], &out, &lo))
    return fail(env, "expected (x, scale | null, shift, out) as Float32Arrays");
  if (c == 0 || lx % c != 0 || lo != lx || (scale && ls != c)) return fail(env, "array lengths do not match");
  channel_affine(x, lx / c, c, scale, shift, out);
  return NULL;
}

// batchNorm(x, mean, variance, offset | null, scale | null, epsilon, out), parameters per channel.
static napi_value batch_norm_js(napi_env env, napi_callback_info cb) {
  size_t argc = 7;
  napi_value argv[7];
  double epsilon;
  CHECK(napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  float *x, *mean, *variance, *offset, *gamma, *out;
  size_t lx, c, lv, lo, lg, lout;
  if (argc != 7 || !float_array(env, argv[0], &x, &lx) || !float_array(env, argv[1], &mean, &c) || !float_array(env, argv[2], &variance, &lv) ||
      !optional_float_array(env, argv[3], &offset, &lo) || !optional_float_array(env, argv[4], &gamma, &lg) ||
      napi_get_value_double(env, argv[5], &epsilon) != napi_ok || !float_array(env, argv[6], &out, &lout))
    return fail(env, "expected (x, mean, variance, offset | null, scale | null, epsilon, out)");
  if (c == 0 || lx % c != 0 || lout != lx || lv != c || (offset && lo != c) || (gamma && lg != c)) return fail(env, "array lengths do not match");
  float *coefficients = malloc(2 * c * sizeof(float));
  if (!coefficients) return fail(env, "out of memory");
  batch_norm_coefficients(c, mean, variance, offset, gamma, (float)epsilon, coefficients, coefficients + c);
  channel_affine(x, lx / c, c, coefficients, coefficients + c, out);
  free(coefficients);
  return NULL;
}

// setThreads(n): OpenBLAS's pool is process-wide, so data-parallel workers ask for 1 each.
static napi_value set_threads(napi_env env, napi_callback_info cb) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t n;
  CHECK(napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  if (argc != 1 || napi_get_value_int32(env, argv[0], &n) != napi_ok || n < 1) return fail(env, "threads must be a positive integer");
  openblas_set_num_threads(n);
  return NULL;
}

// setChunkFloats(n): the im2col block size in floats (a tuning knob; tests make it tiny).
static napi_value set_chunk_floats(napi_env env, napi_callback_info cb) {
  size_t argc = 1;
  napi_value argv[1];
  int64_t n;
  Scratch *scratch = NULL;
  CHECK(napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  CHECK(napi_get_instance_data(env, (void **)&scratch));
  if (argc != 1 || napi_get_value_int64(env, argv[0], &n) != napi_ok || n < 1) return fail(env, "chunk size must be a positive integer");
  scratch->chunk_floats = (size_t)n;
  return NULL;
}

static napi_value info(napi_env env, napi_callback_info cb) {
  (void)cb;
  char text[256];
  snprintf(text, sizeof text, "%s, %d thread(s)", openblas_get_config(), openblas_get_num_threads());
  napi_value out;
  CHECK(napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &out));
  return out;
}

static void free_scratch(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  scratch_free((Scratch *)data);
  free(data);
}

NAPI_MODULE_INIT() {
  Scratch *scratch = calloc(1, sizeof(Scratch));
  if (scratch) scratch->chunk_floats = DEFAULT_CHUNK_FLOATS;
  if (!scratch || napi_set_instance_data(env, scratch, free_scratch, NULL) != napi_ok) return fail(env, "could not allocate kernel state");
  napi_property_descriptor props[] = {
    {"conv2d", NULL, conv2d, NULL, NULL, NULL, napi_default, NULL},
    {"conv2dBackpropInput", NULL, conv2d_bp_input, NULL, NULL, NULL, napi_default, NULL},
    {"conv2dBackpropFilter", NULL, conv2d_bp_filter, NULL, NULL, NULL, napi_default, NULL},
    {"channelSum", NULL, channel_sum_js, NULL, NULL, NULL, napi_default, NULL},
    {"channelAffine", NULL, channel_affine_js, NULL, NULL, NULL, napi_default, NULL},
    {"batchNorm", NULL, batch_norm_js, NULL, NULL, NULL, napi_default, NULL},
    {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
    {"setChunkFloats", NULL, set_chunk_floats, NULL, NULL, NULL, napi_default, NULL},
    {"info", NULL, info, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return throw_last(env);
  return exports;
}
