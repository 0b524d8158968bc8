package dev.ssrl.cli;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Scene;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * MERGE SEAM: procedural test scenes used when {@code generate} gets no source folder, until
 * ssrl-tasks' {@code SyntheticScenes.builtIn(n)} replaces this class.
 *
 * <p>Each scene is a 256×192 image of a sky-to-ground gradient with coloured rectangles and a depth
 * map that grows with height above the horizon line (ground plane) with the rectangles standing
 * nearer; everything is drawn from {@code SplittableRandom(index)}, so scene {@code i} is always
 * the same.
 */
final class BuiltInScenesFallback {
  private BuiltInScenesFallback() {}

  static final int WIDTH = 256;
  static final int HEIGHT = 192;

  /** Scenes {@code builtin-000} … in order. */
  static List<SceneSource> builtIn(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("number of built-in scenes must be >= 0, got " + n);
    }
    List<SceneSource> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int index = i;
      String id = String.format(java.util.Locale.ROOT, "builtin-%03d", i);
      list.add(new SceneSource(id, "builtin:" + i, () -> scene(id, index)));
    }
    return list;
  }

  static Scene scene(String id, int index) {
    SplittableRandom random = new SplittableRandom(0x5EED_0000L + index);
    int w = WIDTH;
    int h = HEIGHT;
    byte[] rgb = new byte[w * h * 3];
    float[] depth = new float[w * h];
    int horizon = h / 3 + random.nextInt(h / 4);
    int[] sky = {random.nextInt(80, 160), random.nextInt(120, 200), random.nextInt(200, 256)};
    int[] ground = {random.nextInt(60, 140), random.nextInt(80, 160), random.nextInt(20, 80)};
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        int[] c = y < horizon ? sky : ground;
        int shade = y < horizon ? y * 40 / horizon : (y - horizon) * 60 / (h - horizon);
        // A little texture so that flips and rotations of any tile are distinguishable.
        int tex = ((x * 7 + y * 13 + index) % 17) - 8;
        for (int k = 0; k < 3; k++) {
          rgb[i * 3 + k] = (byte) clamp(c[k] - shade + tex);
        }
        depth[i] = y < horizon ? 100f : 2f + 60f * (h - y) / (h - horizon);
      }
    }
    int boxes = 3 + random.nextInt(4);
    for (int b = 0; b < boxes; b++) {
      int bw = random.nextInt(20, 70);
      int bh = random.nextInt(20, 70);
      int x0 = random.nextInt(0, w - bw);
      int y0 = random.nextInt(horizon / 2, h - bh);
      int[] c = {random.nextInt(256), random.nextInt(256), random.nextInt(256)};
      float d = 1.5f + random.nextFloat() * 40f;
      for (int y = y0; y < y0 + bh; y++) {
        for (int x = x0; x < x0 + bw; x++) {
          int i = y * w + x;
          int stripe = ((x - x0) / 6 + (y - y0) / 9) % 2 == 0 ? 0 : 35;
          for (int k = 0; k < 3; k++) {
            rgb[i * 3 + k] = (byte) clamp(c[k] - stripe);
          }
          depth[i] = d;
        }
      }
    }
    return new Scene(id, Raster.of(w, h, rgb), DepthMap.of(w, h, depth));
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
