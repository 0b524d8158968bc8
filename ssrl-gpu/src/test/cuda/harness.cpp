// Host harness: runs the device cores (reward_core.cuh, window_stats_core.cuh) compiled as plain
// C++ so that the Java tests can check the exact code the kernels run, without a GPU.
//
// usage: harness reward|advantages|window IN OUT. Files are little-endian binary:
//  reward      in:  int32 n, float64 format_weight, int64 resp_off[n+1], int64 truth_off[n+1],
//                   resp bytes [resp_off[n]], truth bytes [truth_off[n]]
//              out: per item float32 format, float32 accuracy, float64 overall
//  advantages  in:  int32 groups, int32 mode, float64 eps, int32 off[groups+1], float64 r[off[groups]]
//              out: float64 advantage per reward
//  window      in:  int32 w, int32 h, int32 k, int32 maps, float32 values[maps*h*w]
//              out: per map, per window row-major: float32 min, float32 max, int32 count,
//                   int64 quantized sum
//  candidates in:  int32 w, int32 h, int32 maps, WcQuery (its 184 bytes, as the kernel reads
//                   them), uint32 wanted[maps], float32 values[maps*h*w]
//              out: per map, per band: int32 n, then n × (int32 window index, float32 min,
//                   float32 max), in raster order
// The windows use the same two passes as window_stats.cu; the candidates the same tiles as
// window_candidates.cu (one block's threads become loops; the warps' compaction a sequential
// pass in raster order).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vector>

#include "reward_core.cuh"
#include "window_candidates_core.cuh"
#include "window_stats_core.cuh"

static FILE* in;

static void must_read(void* p, size_t n) {
  if (n != 0 && fread(p, 1, n, in) != n) {
    fprintf(stderr, "short input\n");
    exit(2);
  }
}

template <typename T>
static T read1() {
  T v;
  must_read(&v, sizeof v);
  return v;
}

template <typename T>
static std::vector<T> readn(size_t n) {
  std::vector<T> v(n);
  must_read(v.data(), n * sizeof(T));
  return v;
}

// The candidates of each map, tile by tile as ssrl_wc_tiles computes them.
static void candidates(FILE* out) {
  int w = read1<int32_t>(), h = read1<int32_t>(), m = read1<int32_t>();
  ssrl::WcQuery q = read1<ssrl::WcQuery>();
  std::vector<uint32_t> wanted = readn<uint32_t>(m);
  std::vector<float> v = readn<float>((size_t)m * h * w);
  int k = q.k, ow = w - k + 1, oh = h - k + 1;
  int tile_w = WC_TW + k - 1, tile_h = WC_TH + k - 1;
  std::vector<float> tile((size_t)tile_w * tile_h), rmin(tile_h * WC_TW), rmax(tile_h * WC_TW);
  std::vector<unsigned char> rfull(tile_h * WC_TW);
  for (int mi = 0; mi < m; mi++) {
    const float* map = v.data() + (size_t)mi * h * w;
    size_t windows = ow > 0 && oh > 0 ? (size_t)ow * oh : 0;
    std::vector<unsigned char> code(windows);
    std::vector<float> wmin(windows), wmax(windows);
    for (int y0 = 0; y0 < oh; y0 += WC_TH) {
      for (int x0 = 0; x0 < ow; x0 += WC_TW) {
        for (int i = 0; i < tile_w * tile_h; i++) {
          tile[i] = ssrl::wc_tile_pixel(map, w, h, x0, y0, tile_w, i);
        }
        for (int i = 0; i < tile_h * WC_TW; i++) {
          ssrl::wc_row_run(tile.data(), tile_w, k, i / WC_TW, i % WC_TW, &rmin[i], &rmax[i],
                           &rfull[i]);
        }
        for (int r = 0; r < WC_TH; r++) {
          for (int c = 0; c < WC_TW; c++) {
            int x = x0 + c, y = y0 + r;
            if (x >= ow || y >= oh) continue;
            float mn, mx;
            unsigned char full;
            ssrl::wc_window(rmin.data(), rmax.data(), rfull.data(), k, r, c, &mn, &mx, &full);
            float centre = tile[(r + k / 2) * tile_w + c + k / 2];
            int band = ssrl::wc_classify(&q, wanted[mi], x, y, centre, mn, mx, full);
            size_t o = (size_t)y * ow + x;
            code[o] = (unsigned char)(band + 1);
            wmin[o] = mn;
            wmax[o] = mx;
          }
        }
      }
    }
    for (int b = 0; b < q.bands; b++) {
      int32_t n = 0;
      for (size_t o = 0; o < windows; o++) n += code[o] == b + 1;
      fwrite(&n, 4, 1, out);
      for (size_t o = 0; o < windows; o++) {
        if (code[o] == b + 1) {
          int32_t index = (int32_t)o;
          fwrite(&index, 4, 1, out);
          fwrite(&wmin[o], 4, 1, out);
          fwrite(&wmax[o], 4, 1, out);
        }
      }
    }
  }
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: harness reward|advantages|window IN OUT\n");
    return 2;
  }
  in = fopen(argv[2], "rb");
  FILE* out = fopen(argv[3], "wb");
  if (!in || !out) {
    perror("open");
    return 2;
  }
  if (strcmp(argv[1], "reward") == 0) {
    int n = read1<int32_t>();
    double fw = read1<double>();
    std::vector<int64_t> ro = readn<int64_t>(n + 1), to = readn<int64_t>(n + 1);
    std::vector<uint8_t> rb = readn<uint8_t>(ro[n]), tb = readn<uint8_t>(to[n]);
    for (int i = 0; i < n; i++) {
      float f, a;
      double o;
      ssrl::score_one(rb.data(), ro[i], ro[i + 1], tb.data(), to[i], to[i + 1], fw, &f, &a, &o);
      fwrite(&f, 4, 1, out);
      fwrite(&a, 4, 1, out);
      fwrite(&o, 8, 1, out);
    }
  } else if (strcmp(argv[1], "advantages") == 0) {
    int g = read1<int32_t>();
    int mode = read1<int32_t>();
    double eps = read1<double>();
    std::vector<int32_t> off = readn<int32_t>(g + 1);
    std::vector<double> r = readn<double>(off[g]), a(off[g]);
    for (int i = 0; i < g; i++) {
      ssrl::group_advantages(r.data() + off[i], off[i + 1] - off[i], mode, eps, a.data() + off[i]);
    }
    fwrite(a.data(), 8, a.size(), out);
  } else if (strcmp(argv[1], "window") == 0) {
    int w = read1<int32_t>(), h = read1<int32_t>(), k = read1<int32_t>(), m = read1<int32_t>();
    std::vector<float> v = readn<float>((size_t)m * h * w);
    int ow = w - k + 1, oh = h - k + 1;
    size_t rows = (size_t)h * ow;
    std::vector<float> rmin(rows), rmax(rows);
    std::vector<int> rcnt(rows);
    std::vector<int64_t> rsum(rows);
    for (int mi = 0; mi < m; mi++) {
      const float* map = v.data() + (size_t)mi * h * w;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < ow; x++) {
          size_t o = (size_t)y * ow + x;
          ssrl::ws_row(map + (size_t)y * w, x, k, &rmin[o], &rmax[o], &rcnt[o], &rsum[o]);
        }
      }
      for (int y = 0; y < oh; y++) {
        for (int x = 0; x < ow; x++) {
          size_t r = (size_t)y * ow + x;
          float mn, mx;
          int c;
          int64_t q;
          ssrl::ws_col(&rmin[r], &rmax[r], &rcnt[r], &rsum[r], ow, k, &mn, &mx, &c, &q);
          fwrite(&mn, 4, 1, out);
          fwrite(&mx, 4, 1, out);
          fwrite(&c, 4, 1, out);
          fwrite(&q, 8, 1, out);
        }
      }
    }
  } else if (strcmp(argv[1], "candidates") == 0) {
    candidates(out);
  } else {
    fprintf(stderr, "unknown mode %s\n", argv[1]);
    return 2;
  }
  if (fclose(out) != 0) {
    perror("close");
    return 2;
  }
  return 0;
}
