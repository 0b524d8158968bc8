package dev.ssrl.tasks.scene.impl;

import dev.ssrl.api.DepthMap;
import dev.ssrl.tasks.scene.DepthFormat;
import dev.ssrl.tasks.scene.DepthHeader;
import dev.ssrl.tasks.scene.DepthSource;
import dev.ssrl.tasks.scene.SceneLoadException;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.nio.file.Path;
import java.util.List;

/**
 * Single-channel 16-bit grey PNG depth, value × depth scale (default 0.001 m: millimetres); NYUv2,
 * TUM and ScanNet name it {@code X_depth.png}.
 */
public final class Png16DepthFormat implements DepthFormat {
  /** The signature and IHDR chunk: all a probe reads. */
  private static final int HEADER_BYTES = 33;

  @Override
  public String name() {
    return "png16";
  }

  @Override
  public String description() {
    return "16-bit PNG";
  }

  @Override
  public List<String> pairedSuffixes() {
    return List.of("_depth.png");
  }

  @Override
  public boolean recognises(byte[] head) {
    return PngHeader.isPng(head);
  }

  @Override
  public DepthHeader probe(DepthSource source) throws SceneLoadException {
    PngHeader h = PngHeader.parse(source.head(HEADER_BYTES), source.path());
    checkGrey(h, source.path(), true);
    return new DepthHeader(h.width(), h.height(), 2);
  }

  @Override
  public DepthMap read(DepthSource source, long maxPixels, double depthScale)
      throws SceneLoadException {
    Raster r = grey(source.bytes(), source.path(), maxPixels, true);
    int w = r.getWidth();
    int h = r.getHeight();
    float[] v = new float[w * h];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      r.getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        v[y * w + x] = (float) (row[x] * depthScale);
      }
    }
    return DepthMap.of(w, h, v);
  }

  /**
   * Decodes a single-channel grey PNG (16-bit only when {@code need16}) to its raw samples; masks
   * ({@link DepthReader}) are read with it too.
   */
  static Raster grey(byte[] b, Path path, long maxPixels, boolean need16)
      throws SceneLoadException {
    PngHeader h = PngHeader.parse(b, path);
    checkGrey(h, path, need16);
    if ((long) h.width() * h.height() > maxPixels) {
      throw new SceneLoadException(
          path,
          "PNG "
              + h.width()
              + "x"
              + h.height()
              + " exceeds the pixel budget of "
              + maxPixels
              + "; refused before decoding");
    }
    PngHeader.checkComplete(b, path);
    BufferedImage img = RgbReader.readImage(b, "png", path);
    return img.getRaster();
  }

  private static void checkGrey(PngHeader h, Path path, boolean need16) throws SceneLoadException {
    if (h.colorType() != PngHeader.GREY || (need16 && h.bitDepth() != 16)) {
      throw new SceneLoadException(
          path,
          (need16 ? "depth PNG must be 16-bit single-channel grey" : "mask PNG must be grey")
              + ", got "
              + h.describe());
    }
  }
}
