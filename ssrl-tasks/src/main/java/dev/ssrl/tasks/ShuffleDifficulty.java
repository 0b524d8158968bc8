package dev.ssrl.tasks;

import dev.ssrl.api.Raster;
import dev.ssrl.tasks.image.Tiles;

/**
 * How hard a shuffle sample is (the {@code seamAmbiguity} and {@code difficulty} metadata of {@link
 * ShuffleTask}): puzzles with more pieces, and puzzles whose true seams look no better than wrong
 * ones, are harder.
 *
 * <p>Seam cost D(a, b, right): the mean absolute difference, over the tile height and the three
 * channels, divided by 255, between source tile a's last pixel column inside the drawn border (x =
 * tileWidth − 1 − borderWidth) and tile b's first one (x = borderWidth); D(a, b, down) the same
 * between a's last row and b's first row inside the border. These are the pixels the model sees on
 * either side of a seam.
 *
 * <p>For each true neighbour pair (a, b) of the original image (a left of b, or a above b) with
 * true cost t = D(a, b, dir), the best wrong cost w is the smallest of D(a, k, dir) and D(k, b,
 * dir) over the other tiles k and of the swapped D(b, a, dir); the pair's ambiguity is t / (t + w):
 * 0 when the true seam is far better than any wrong one, 0.5 when a wrong seam fits as well, above
 * 0.5 when one fits better (0.5 when t = w = 0, and for a pair that includes the masked tile, whose
 * pixels are gone). {@code seamAmbiguity} is the mean over the R(C−1) + C(R−1) true pairs, rounded
 * to 3 decimals; {@code difficulty} = (ln K / ln 64 + seamAmbiguity) / 2 for K pieces (64, an 8×8
 * grid, is the largest), rounded to 3 decimals: both re-derive from the scene, {@code grid}, {@code
 * tileWidth}, {@code tileHeight}, {@code borderWidth}, {@code sourceOfLabel} and {@code
 * maskedLabel}.
 */
final class ShuffleDifficulty {
  private ShuffleDifficulty() {}

  /** ln 64: the size term's denominator (8×8, the largest grid {@link Tiles} allows). */
  private static final double LN_MAX_PIECES = Math.log(64);

  /**
   * The mean seam ambiguity, rounded to 3 decimals.
   *
   * @param maskedSource the source tile painted white, or −1
   */
  static double seamAmbiguity(
      Raster img, Tiles.Grid grid, int tw, int th, int bw, int maskedSource) {
    int k = grid.count();
    int cols = grid.cols();
    double[][] right = new double[k][k];
    double[][] down = new double[k][k];
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        if (a != b) {
          right[a][b] = seam(img, cols, tw, th, bw, a, b, true);
          down[a][b] = seam(img, cols, tw, th, bw, a, b, false);
        }
      }
    }
    double sum = 0;
    int pairs = 0;
    for (int a = 0; a < k; a++) {
      if (a % cols + 1 < cols) {
        sum += pair(right, a, a + 1, maskedSource);
        pairs++;
      }
      if (a + cols < k) {
        sum += pair(down, a, a + cols, maskedSource);
        pairs++;
      }
    }
    return round3(sum / pairs);
  }

  /** The difficulty of K pieces with this (rounded) seam ambiguity, rounded to 3 decimals. */
  static double difficulty(int pieces, double seamAmbiguity) {
    return Difficulty.of((Math.log(pieces) / LN_MAX_PIECES + seamAmbiguity) / 2);
  }

  private static double pair(double[][] d, int a, int b, int maskedSource) {
    if (a == maskedSource || b == maskedSource) {
      return 0.5;
    }
    double t = d[a][b];
    double w = d[b][a];
    for (int k = 0; k < d.length; k++) {
      if (k != a && k != b) {
        w = Math.min(w, Math.min(d[a][k], d[k][b]));
      }
    }
    return t + w == 0 ? 0.5 : t / (t + w);
  }

  /** D(a, b, right or down), as the class comment defines it. */
  private static double seam(
      Raster img, int cols, int tw, int th, int bw, int a, int b, boolean right) {
    byte[] px = img.data();
    int stride = img.width() * 3;
    int ax = (a % cols) * tw;
    int ay = (a / cols) * th;
    int bx = (b % cols) * tw;
    int by = (b / cols) * th;
    int length = right ? th : tw;
    long total = 0;
    for (int i = 0; i < length; i++) {
      int pa;
      int pb;
      if (right) {
        pa = (ay + i) * stride + (ax + tw - 1 - bw) * 3;
        pb = (by + i) * stride + (bx + bw) * 3;
      } else {
        pa = (ay + th - 1 - bw) * stride + (ax + i) * 3;
        pb = (by + bw) * stride + (bx + i) * 3;
      }
      for (int c = 0; c < 3; c++) {
        total += Math.abs((px[pa + c] & 0xFF) - (px[pb + c] & 0xFF));
      }
    }
    return total / (255.0 * 3 * length);
  }

  private static double round3(double x) {
    return Math.round(x * 1000) / 1000.0;
  }
}
