// Candidate windows of normalised depth maps (dev.ssrl.tasks.depth.CandidateQuery), shared by the
// device (window_candidates.cu) and the host test harness (src/test/cuda), so the tests check the
// very code the GPU runs.
//
// A map is w × h floats, row-major, NaN = invalid, values in [0, 1]. The output tile of a thread
// block is WC_TW × WC_TH windows (top-left corners); it reads an input tile of (WC_TW + k - 1) ×
// (WC_TH + k - 1) pixels into shared memory once, reduces each input row over runs of k pixels
// (row runs: min, max, all-valid), then each window over k row runs. Min and max are exact whatever
// the order (a NaN never becomes one, -0.0 is read as +0.0), so they equal WindowStats' bit for
// bit. A window is then classified by the query: its band from the centre value, the margin, the
// range and full validity, exactly as CandidateQuery defines them (all comparisons in double).
#ifndef SSRL_WINDOW_CANDIDATES_CORE_CUH
#define SSRL_WINDOW_CANDIDATES_CORE_CUH

#include <stddef.h>
#include <stdint.h>

#ifdef __CUDACC__
#define SSRL_HD __host__ __device__ __forceinline__
#else
#include <math.h>
#define SSRL_HD inline
#endif

// Output tile: 32 windows wide (one warp), 16 windows tall.
#define WC_TW 32
#define WC_TH 16
// The largest window side the kernel takes: its shared memory, (WC_TW + k - 1) * (WC_TH + k - 1)
// floats plus (WC_TH + k - 1) * WC_TW row runs of 9 bytes, stays under 48 KiB.
#define WC_MAX_K 48
#define WC_MAX_BANDS 8

namespace ssrl {

// A query as the kernel takes it: the window side, up to WC_MAX_BANDS bands [low, high], the range
// bound (inclusive or not), the centre bounds margin * w .. (1 - margin) * w (and h), computed by
// the host in double exactly as CandidateQuery states them.
struct WcQuery {
  int k;
  int bands;
  int inclusive;
  double range;
  double xlo, xhi, ylo, yhi;
  double low[WC_MAX_BANDS];
  double high[WC_MAX_BANDS];
};
// The Java side (CandidateKernelArgs) writes this layout byte for byte.
static_assert(sizeof(WcQuery) == 184, "WcQuery layout");
static_assert(offsetof(WcQuery, range) == 16 && offsetof(WcQuery, low) == 56 &&
                  offsetof(WcQuery, high) == 120,
              "WcQuery layout");

// Pixel i of the input tile whose top-left is (x0, y0) and width tile_w; NaN outside the map
// (such pixels only feed windows that do not exist).
SSRL_HD float wc_tile_pixel(const float* map, int w, int h, int x0, int y0, int tile_w, int i) {
  int x = x0 + i % tile_w;
  int y = y0 + i / tile_w;
  return (x < w && y < h) ? map[(int64_t)y * w + x] : NAN;
}

// Row run (r, c) of the tile: pixels tile[r][c .. c + k), reduced to min, max and all-valid.
SSRL_HD void wc_row_run(const float* tile, int tile_w, int k, int r, int c, float* mn, float* mx,
                        unsigned char* full) {
  float lo = INFINITY, hi = -INFINITY;
  unsigned char f = 1;
  const float* p = tile + r * tile_w + c;
  for (int i = 0; i < k; i++) {
    float v = p[i];
    if (v != v) {
      f = 0;
      continue;
    }
    v = v + 0.0f;  // -0.0 -> +0.0, as WindowStats does
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
  }
  *mn = lo;
  *mx = hi;
  *full = f;
}

// Window (c, r) of the tile from row runs r .. r + k - 1 of column c (row runs are WC_TW wide).
SSRL_HD void wc_window(const float* rmin, const float* rmax, const unsigned char* rfull, int k,
                       int r, int c, float* mn, float* mx, unsigned char* full) {
  float lo = INFINITY, hi = -INFINITY;
  unsigned char f = 1;
  for (int j = 0; j < k; j++) {
    int o = (r + j) * WC_TW + c;
    lo = rmin[o] < lo ? rmin[o] : lo;
    hi = rmax[o] > hi ? rmax[o] : hi;
    f &= rfull[o];
  }
  *mn = lo;
  *mx = hi;
  *full = f;
}

// The band (0-based) of window (x, y) under q, or -1 when it is not a candidate; wanted is a bit
// mask of the bands searched. centre = the map value at (x + k/2, y + k/2).
SSRL_HD int wc_classify(const WcQuery* q, unsigned wanted, int x, int y, float centre, float mn,
                        float mx, unsigned char full) {
  int cx = x + q->k / 2;
  int cy = y + q->k / 2;
  if ((double)cx < q->xlo || (double)cx > q->xhi || (double)cy < q->ylo || (double)cy > q->yhi) {
    return -1;
  }
  double c = (double)centre;
  int band = -1;
  for (int b = 0; b < q->bands; b++) {
    if (c >= q->low[b] && c <= q->high[b]) {
      band = b;
      break;
    }
  }
  if (band < 0 || !((wanted >> band) & 1u) || !full) {
    return -1;
  }
  double range = (double)mx - (double)mn;
  int flat = q->inclusive ? range <= q->range : range < q->range;
  return flat ? band : -1;
}

}  // namespace ssrl

#endif  // SSRL_WINDOW_CANDIDATES_CORE_CUH
