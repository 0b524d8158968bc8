// Candidate windows of a batch of depth maps of one size (definition: window_candidates_core.cuh,
// dev.ssrl.tasks.depth.CandidateQuery). Four launches per window size, all on one stream; only the
// candidates and a few counts per map leave the device:
//   ssrl_wc_tiles    fused statistics + classification over shared-memory tiles: per window a
//                    code (band + 1, 0 = none) and, for candidates, min and max;
//   ssrl_wc_count    candidates per (map, band, window row), one warp per row;
//   ssrl_wc_scan     exclusive prefix of those counts per map, band-major (band 0's rows, then
//                    band 1's, ...), and each band's first slot and the map's total;
//   ssrl_wc_compact  each candidate's window index y * ow + x, min and max to its slot in three
//                    arrays, one warp per row, so every band's list is in raster order and the
//                    host copies each array straight into its Java array.
// Maps lie map_stride floats apart; blockIdx.z (tiles) or blockIdx.y (rows) is the map.
#include "window_candidates_core.cuh"

extern "C" __global__ void ssrl_wc_tiles(const float* maps, int w, int h, int64_t map_stride,
                                         const ssrl::WcQuery* query, const unsigned* wanted,
                                         unsigned char* code, float* wmin, float* wmax) {
  extern __shared__ float shared[];
  const ssrl::WcQuery q = *query;
  int k = q.k;
  int ow = w - k + 1, oh = h - k + 1;
  int tile_w = WC_TW + k - 1, tile_h = WC_TH + k - 1;
  float* tile = shared;
  float* rmin = tile + tile_w * tile_h;
  float* rmax = rmin + tile_h * WC_TW;
  unsigned char* rfull = (unsigned char*)(rmax + tile_h * WC_TW);
  int64_t m = blockIdx.z;
  const float* map = maps + m * map_stride;
  int x0 = blockIdx.x * WC_TW, y0 = blockIdx.y * WC_TH;
  int tid = threadIdx.y * blockDim.x + threadIdx.x;
  int threads = blockDim.x * blockDim.y;
  for (int i = tid; i < tile_w * tile_h; i += threads) {
    tile[i] = ssrl::wc_tile_pixel(map, w, h, x0, y0, tile_w, i);
  }
  __syncthreads();
  for (int i = tid; i < tile_h * WC_TW; i += threads) {
    ssrl::wc_row_run(tile, tile_w, k, i / WC_TW, i % WC_TW, &rmin[i], &rmax[i], &rfull[i]);
  }
  __syncthreads();
  unsigned want = wanted[m];
  int c = threadIdx.x;
  for (int r = threadIdx.y; r < WC_TH; r += blockDim.y) {
    int x = x0 + c, y = y0 + r;
    if (x >= ow || y >= oh) {
      continue;
    }
    float mn, mx;
    unsigned char full;
    ssrl::wc_window(rmin, rmax, rfull, k, r, c, &mn, &mx, &full);
    float centre = tile[(r + k / 2) * tile_w + c + k / 2];
    int band = ssrl::wc_classify(&q, want, x, y, centre, mn, mx, full);
    int64_t o = m * (int64_t)ow * oh + (int64_t)y * ow + x;
    code[o] = (unsigned char)(band + 1);
    if (band >= 0) {
      wmin[o] = mn;
      wmax[o] = mx;
    }
  }
}

// counts[(m * bands + b) * oh + y]: band b's candidates in window row y of map m.
extern "C" __global__ void ssrl_wc_count(const unsigned char* code, int ow, int oh, int bands,
                                         int* counts) {
  int y = blockIdx.x * blockDim.y + threadIdx.y;
  if (y >= oh) {
    return;  // the whole warp leaves together: y depends on threadIdx.y only
  }
  int64_t m = blockIdx.y;
  const unsigned char* row = code + m * (int64_t)ow * oh + (int64_t)y * ow;
  int total[WC_MAX_BANDS] = {0};
  for (int x0 = 0; x0 < ow; x0 += 32) {
    int x = x0 + threadIdx.x;
    int c = x < ow ? row[x] : 0;
    for (int b = 0; b < bands; b++) {
      total[b] += __popc(__ballot_sync(0xffffffffu, c == b + 1));
    }
  }
  if (threadIdx.x == 0) {
    for (int b = 0; b < bands; b++) {
      counts[(m * bands + b) * oh + y] = total[b];
    }
  }
}

// In place: counts of map m (bands * oh values) become exclusive prefix sums; starts[m * (bands +
// 1) + b] = the first slot of band b, and the last entry the map's total. One block per map.
extern "C" __global__ void ssrl_wc_scan(int* counts, int oh, int bands, int* starts) {
  extern __shared__ int part[];
  int64_t m = blockIdx.x;
  int n = bands * oh;
  int* c = counts + m * n;
  int t = threadIdx.x, threads = blockDim.x;
  int chunk = (n + threads - 1) / threads;
  int from = t * chunk, to = min(n, from + chunk);
  int sum = 0;
  for (int i = from; i < to; i++) {
    sum += c[i];
  }
  part[t] = sum;
  __syncthreads();
  // Inclusive Hillis-Steele scan of the per-thread sums.
  for (int d = 1; d < threads; d <<= 1) {
    int v = t >= d ? part[t - d] : 0;
    __syncthreads();
    part[t] += v;
    __syncthreads();
  }
  int run = part[t] - sum;
  for (int i = from; i < to; i++) {
    int v = c[i];
    c[i] = run;
    run += v;
  }
  __syncthreads();
  if (t == 0) {
    for (int b = 0; b < bands; b++) {
      starts[m * (bands + 1) + b] = b * oh < n ? c[b * oh] : 0;
    }
    starts[m * (bands + 1) + bands] = part[threads - 1];
  }
}

// Map m's candidates at m * capacity in out_index (window index), out_min and out_max.
extern "C" __global__ void ssrl_wc_compact(const unsigned char* code, const float* wmin,
                                           const float* wmax, int ow, int oh, int bands,
                                           const int* offsets, int64_t capacity, int* out_index,
                                           float* out_min, float* out_max) {
  int y = blockIdx.x * blockDim.y + threadIdx.y;
  if (y >= oh) {
    return;
  }
  int64_t m = blockIdx.y;
  int64_t base = m * (int64_t)ow * oh + (int64_t)y * ow;
  int next[WC_MAX_BANDS];
  for (int b = 0; b < bands; b++) {
    next[b] = offsets[(m * bands + b) * oh + y];
  }
  unsigned below = (1u << threadIdx.x) - 1u;
  int64_t dst = m * capacity;
  for (int x0 = 0; x0 < ow; x0 += 32) {
    int x = x0 + threadIdx.x;
    int c = x < ow ? code[base + x] : 0;
    for (int b = 0; b < bands; b++) {
      unsigned mask = __ballot_sync(0xffffffffu, c == b + 1);
      if (c == b + 1) {
        int64_t slot = dst + next[b] + __popc(mask & below);
        out_index[slot] = y * ow + x;
        out_min[slot] = wmin[base + x];
        out_max[slot] = wmax[base + x];
      }
      next[b] += __popc(mask);
    }
  }
}
