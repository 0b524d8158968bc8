// Batched window statistics over many depth maps of one size (definition: window_stats_core.cuh).
// Two separable passes, each O(k) per output: rows first (k pixels → one row result per
// (x, y)), then columns (k row results → one window). maps holds `count` maps back to back;
// blockIdx.z is the map. Index arithmetic is 64-bit: a batch may exceed 2^31 elements.
#include "window_stats_core.cuh"

// The CPU implementation refuses values that are neither NaN nor in [0, 1]; so does the GPU path:
// first_bad (initialised to ~0 by the host) receives the least index of such a value.
extern "C" __global__ void ssrl_ws_check(const float* maps, int64_t n,
                                         unsigned long long* first_bad) {
  int64_t stride = (int64_t)gridDim.x * blockDim.x;
  for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
    float v = maps[i];
    if (v == v && !(v >= 0.0f && v <= 1.0f)) {
      atomicMin(first_bad, (unsigned long long)i);
    }
  }
}

// Pass 1: for every map m, row y in [0, h) and x in [0, ow), ow = w - k + 1.
extern "C" __global__ void ssrl_ws_rows(const float* maps, int w, int h, int k, int ow,
                                        float* rmin, float* rmax, int* rcnt, int64_t* rqsum) {
  int x = blockIdx.x * blockDim.x + threadIdx.x;
  int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x >= ow || y >= h) {
    return;
  }
  int64_t m = blockIdx.z;
  const float* row = maps + (m * h + y) * (int64_t)w;
  int64_t o = (m * h + y) * (int64_t)ow + x;
  ssrl::ws_row(row, x, k, &rmin[o], &rmax[o], &rcnt[o], &rqsum[o]);
}

// Pass 2: for every map m and window (x, y) in [0, ow) × [0, oh), oh = h - k + 1.
extern "C" __global__ void ssrl_ws_cols(const float* rmin, const float* rmax, const int* rcnt,
                                        const int64_t* rqsum, int h, int k, int ow, int oh,
                                        float* omin, float* omax, int* ocnt, int64_t* oqsum) {
  int x = blockIdx.x * blockDim.x + threadIdx.x;
  int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x >= ow || y >= oh) {
    return;
  }
  int64_t m = blockIdx.z;
  int64_t r = (m * h + y) * (int64_t)ow + x;
  int64_t o = (m * oh + y) * (int64_t)ow + x;
  ssrl::ws_col(rmin + r, rmax + r, rcnt + r, rqsum + r, ow, k, &omin[o], &omax[o], &ocnt[o],
               &oqsum[o]);
}
