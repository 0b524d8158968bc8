// Window statistics of normalised depth maps, shared by the device (window_stats.cu) and the
// host test harness (src/test/cuda), so the tests check the very code the GPU runs.
//
// Definition: exactly that of dev.ssrl.tasks.WindowStats (the CPU implementation), so that the
// results are bit-identical. A map is w × h floats, row-major; a pixel is valid unless it is NaN
// (normalised maps mark every invalid pixel NaN and hold values in [0, 1]; -0.0 is read as +0.0).
// For a window size k and each top-left (x, y) with 0 <= x <= w-k, 0 <= y <= h-k, over the valid
// pixels of the k × k window:
//   count = their number;
//   min, max = their least and greatest value (a float of the map); +Inf and -Inf when count = 0;
//   qsum = the sum of q(v) = floor((double) v * 2^32 + 0.5) as a 64-bit integer. Integer sums do
//          not depend on the order of addition, so the two-pass GPU order and the CPU's integral
//          images give the same value; the mean (qsum * 2^-32) / count is computed from it by the
//          caller, in the same expression as WindowStats.mean, hence bit-identical too.
// All four are exact, whatever the summation order.
#ifndef SSRL_WINDOW_STATS_CORE_CUH
#define SSRL_WINDOW_STATS_CORE_CUH

#include <stdint.h>

#ifdef __CUDACC__
#define SSRL_HD __host__ __device__ __forceinline__
#else
#include <math.h>
#define SSRL_HD inline
#endif

namespace ssrl {

// WindowStats.quantize: the product is exact (a float has 24 significant bits), the rounding of
// + 0.5 is IEEE round-to-nearest on both sides, and the PTX is built without FMA contraction.
SSRL_HD int64_t ws_quantize(float v) { return (int64_t)floor((double)v * 4294967296.0 + 0.5); }

// Statistics of row[x, x + k): the first (horizontal) pass.
SSRL_HD void ws_row(const float* row, int x, int k, float* mn, float* mx, int* cnt,
                    int64_t* qsum) {
  float lo = INFINITY, hi = -INFINITY;
  int c = 0;
  int64_t s = 0;
  for (int i = 0; i < k; i++) {
    float v = row[x + i];
    if (v != v) {
      continue;
    }
    v = v + 0.0f;  // -0.0 -> +0.0, as WindowStats does
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    c++;
    s += ws_quantize(v);
  }
  *mn = lo;
  *mx = hi;
  *cnt = c;
  *qsum = s;
}

// Combines k consecutive row results (stride apart) into one window: the second pass.
SSRL_HD void ws_col(const float* rmin, const float* rmax, const int* rcnt, const int64_t* rqsum,
                    int64_t stride, int k, float* mn, float* mx, int* cnt, int64_t* qsum) {
  float lo = INFINITY, hi = -INFINITY;
  int c = 0;
  int64_t s = 0;
  for (int j = 0; j < k; j++) {
    int64_t o = (int64_t)j * stride;
    if (rmin[o] < lo) lo = rmin[o];
    if (rmax[o] > hi) hi = rmax[o];
    c += rcnt[o];
    s += rqsum[o];
  }
  *mn = lo;
  *mx = hi;
  *cnt = c;
  *qsum = s;
}

}  // namespace ssrl

#endif  // SSRL_WINDOW_STATS_CORE_CUH
