// Window statistics of normalised depth maps, shared by the device (window_stats.cu) and the
// host test harness (src/test/cuda), so the tests check the very code the GPU runs.
//
// Definition (what the CPU side must reproduce). A map is w × h floats, row-major; a pixel is
// valid unless it is NaN (normalised maps mark every invalid pixel NaN; -0.0 is read as +0.0 so
// that min/max never depend on the order zeros are met). For a window size k and each top-left
// (x, y) with 0 <= x <= w-k, 0 <= y <= h-k, over the valid pixels of the k × k window:
//   count = their number (exact);
//   min, max = their least and greatest value (exact: a float of the map);
//   mean = sum / count in double, where sum = r_0 + r_1 + ... + r_{k-1} added top to bottom
//          starting from 0.0, and r_j = the valid values of window row j converted to double
//          and added left to right starting from 0.0.
// A window without valid pixels has count 0 and min = max = mean = NaN.
// A CPU loop written in that order agrees bit for bit; one using another order (integral
// images) agrees on count/min/max exactly and on mean to about 1e-12 relative, which is why
// decisions are made on count, min and max (and the centre value) and never on the mean's last
// bits.
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

// Statistics of row[x, x + k): the first (horizontal) pass.
SSRL_HD void ws_row(const float* row, int x, int k, float* mn, float* mx, int* cnt,
                    double* sum) {
  float lo = 0.0f, hi = 0.0f;
  int c = 0;
  double s = 0.0;
  for (int i = 0; i < k; i++) {
    float v = row[x + i];
    if (v != v) {
      continue;
    }
    if (v == 0.0f) {
      v = 0.0f;  // -0.0 -> +0.0
    }
    if (c == 0) {
      lo = v;
      hi = v;
    } else {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    c++;
    s += (double)v;
  }
  if (c == 0) {
    lo = nanf("");
    hi = lo;
  }
  *mn = lo;
  *mx = hi;
  *cnt = c;
  *sum = s;
}

// Combines k consecutive row results (stride apart) into one window: the second pass.
SSRL_HD void ws_col(const float* rmin, const float* rmax, const int* rcnt, const double* rsum,
                    int64_t stride, int k, float* mn, float* mx, int* cnt, double* mean) {
  float lo = 0.0f, hi = 0.0f;
  int c = 0;
  double s = 0.0;
  for (int j = 0; j < k; j++) {
    int64_t o = (int64_t)j * stride;
    int rc = rcnt[o];
    if (rc == 0) {
      continue;  // its sum is +0.0: skipping it changes no bit
    }
    if (c == 0) {
      lo = rmin[o];
      hi = rmax[o];
    } else {
      if (rmin[o] < lo) lo = rmin[o];
      if (rmax[o] > hi) hi = rmax[o];
    }
    c += rc;
    s += rsum[o];
  }
  if (c == 0) {
    *mn = nanf("");
    *mx = *mn;
    *cnt = 0;
    *mean = (double)nanf("");
    return;
  }
  *mn = lo;
  *mx = hi;
  *cnt = c;
  *mean = s / (double)c;
}

}  // namespace ssrl

#endif  // SSRL_WINDOW_STATS_CORE_CUH
