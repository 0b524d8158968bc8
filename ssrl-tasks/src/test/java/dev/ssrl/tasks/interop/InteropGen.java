package dev.ssrl.tasks.interop;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Raster;
import java.util.Random;

/** Rasters and depth maps of given sizes with random contents, for the property tests. */
final class InteropGen {
  private InteropGen() {}

  static Raster raster(int w, int h, long seed) {
    byte[] b = new byte[w * h * 3];
    new Random(seed).nextBytes(b);
    return Raster.of(w, h, b);
  }

  /** Depth with every kind of value SPEC §1 knows (0, NaN, ±Inf, ordinary), masked or not. */
  static DepthMap depth(int w, int h, long seed, boolean masked) {
    Random r = new Random(seed);
    float[] v = new float[w * h];
    byte[] m = masked ? new byte[w * h] : null;
    for (int i = 0; i < v.length; i++) {
      int k = r.nextInt(10);
      v[i] =
          switch (k) {
            case 0 -> 0f;
            case 1 -> Float.NaN;
            case 2 -> Float.POSITIVE_INFINITY;
            case 3 -> Float.NEGATIVE_INFINITY;
            default -> r.nextFloat() * 80f;
          };
      if (m != null) {
        m[i] = (byte) (r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(255));
      }
    }
    return DepthMap.of(w, h, v, m);
  }

  static int channel(Raster r, int x, int y, int c) {
    return r.rgbAt(x, y) >> (16 - 8 * c) & 0xFF;
  }
}
