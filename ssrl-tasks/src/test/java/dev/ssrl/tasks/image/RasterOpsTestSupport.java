package dev.ssrl.tasks.image;

import dev.ssrl.api.Raster;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.view.Views;

/** Test-only image helpers: reading files, random rasters, ImgLib2 views as oracles. */
public final class RasterOpsTestSupport {
  private RasterOpsTestSupport() {}

  /** Reads an image file with ImageIO into an RGB raster (tests only: the loader is elsewhere). */
  public static Raster read(Path file) throws IOException {
    BufferedImage b = ImageIO.read(file.toFile());
    if (b == null) {
      throw new IOException("ImageIO cannot read " + file);
    }
    int w = b.getWidth();
    int h = b.getHeight();
    int[] px = b.getRGB(0, 0, w, h, null, 0, w);
    byte[] d = new byte[w * h * 3];
    for (int i = 0; i < px.length; i++) {
      d[i * 3] = (byte) (px[i] >>> 16);
      d[i * 3 + 1] = (byte) (px[i] >>> 8);
      d[i * 3 + 2] = (byte) px[i];
    }
    return Raster.of(w, h, d);
  }

  /**
   * A random raster with structure at several scales: smooth colour gradients, random rectangles
   * and per-pixel noise, so that flips and rotations of its regions are visibly different.
   */
  public static Raster random(int w, int h, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    byte[] d = new byte[w * h * 3];
    int[] base = {rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)};
    double[] gx = {rng.nextDouble(-2, 2), rng.nextDouble(-2, 2), rng.nextDouble(-2, 2)};
    double[] gy = {rng.nextDouble(-2, 2), rng.nextDouble(-2, 2), rng.nextDouble(-2, 2)};
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          int v = (int) (base[c] + gx[c] * x + gy[c] * y) + rng.nextInt(-20, 21);
          d[(y * w + x) * 3 + c] = (byte) Math.floorMod(v, 256);
        }
      }
    }
    int rects = 3 + rng.nextInt(8);
    for (int r = 0; r < rects; r++) {
      int x0 = rng.nextInt(w);
      int y0 = rng.nextInt(h);
      int x1 = Math.min(w, x0 + 1 + rng.nextInt(Math.max(1, w / 2)));
      int y1 = Math.min(h, y0 + 1 + rng.nextInt(Math.max(1, h / 2)));
      Draw.fillRect(d, w, h, x0, y0, x1, y1, rng.nextInt(1 << 24));
    }
    return Raster.of(w, h, d);
  }

  /** A raster of one colour. */
  public static Raster uniform(int w, int h, int rgb) {
    byte[] d = new byte[w * h * 3];
    Draw.fillRect(d, w, h, 0, 0, w, h, rgb);
    return Raster.of(w, h, d);
  }

  /** The raster as an ImgLib2 (channel, x, y) image over its own array. */
  public static RandomAccessibleInterval<UnsignedByteType> view(Raster r) {
    return ArrayImgs.unsignedBytes(r.data(), 3, r.width(), r.height());
  }

  /** Copies a (channel, x, y) view into a new raster. */
  public static Raster materialize(RandomAccessibleInterval<UnsignedByteType> v) {
    int w = (int) v.dimension(1);
    int h = (int) v.dimension(2);
    byte[] out = new byte[w * h * 3];
    Cursor<UnsignedByteType> c = Views.flatIterable(v).cursor();
    int i = 0;
    while (c.hasNext()) {
      out[i++] = c.next().getByte();
    }
    return Raster.of(w, h, out);
  }

  /** The region as a new raster, through an ImgLib2 interval view (independent of RasterOps). */
  public static Raster region(Raster r, int x, int y, int w, int h) {
    return materialize(
        Views.interval(view(r), new long[] {0, x, y}, new long[] {2, x + w - 1, y + h - 1}));
  }
}
