package dev.ssrl.tasks.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.api.Raster;
import dev.ssrl.tasks.impl.Parallel;
import dev.ssrl.tasks.scene.SceneLoadException;
import dev.ssrl.tasks.scene.SceneLoader;
import dev.ssrl.tasks.scene.impl.RgbReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * A striped JPEG (strips encoded separately, joined with restart markers) must decode to exactly
 * the pixels of the whole-image encode, and its bytes must not depend on how the strips were spread
 * over threads.
 */
class JpegStripsTest {

  /** A photo-like raster: smooth gradients, edges and noise, so every block has real content. */
  private static Raster photo(int w, int h, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] d = new byte[w * h * 3];
    double fx = 5 + r.nextDouble() * 30;
    double fy = 5 + r.nextDouble() * 30;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        int edge = ((x / 23 + y / 17) & 1) * 60;
        d[i] = (byte) (100 + 80 * Math.sin(x / fx) + edge + r.nextInt(9));
        d[i + 1] = (byte) (120 + 70 * Math.cos(y / fy) + r.nextInt(9));
        d[i + 2] = (byte) ((x * 3 + y * 5) + edge + r.nextInt(9));
      }
    }
    return Raster.of(w, h, d);
  }

  private static int[] pixels(byte[] jpeg) {
    try {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
      return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the body with strips for any image taller than one strip. */
  private static void withStripsForAll(Runnable body) {
    int min = ImageCodec.stripedMinPixels;
    ImageCodec.stripedMinPixels = 0;
    try {
      body.run();
    } finally {
      ImageCodec.stripedMinPixels = min;
    }
  }

  @Test
  void stripedJpegDecodesToThePixelsOfTheWholeImageEncode() {
    withStripsForAll(
        () ->
            qt().withExamples(25)
                .forAll(
                    integers().between(1, 260),
                    integers().between(129, 420),
                    integers().between(50, 100),
                    longs().all())
                .checkAssert(
                    (w, h, q, seed) -> {
                      Raster r = photo(w, h, seed);
                      byte[] striped = ImageCodec.encodeJpeg(r, q);
                      byte[] whole = ImageCodec.encodeJpegWhole(r, q);
                      assertTrue(
                          restartMarkers(striped).size() > 0, "expected strips for " + w + "x" + h);
                      assertArrayEquals(pixels(whole), pixels(striped), w + "x" + h + " q" + q);
                      // Our own reader (which refuses images under 64 pixels wide) agrees too.
                      if (w < SceneLoader.MIN_SIDE) {
                        return;
                      }
                      try {
                        assertArrayEquals(
                            RgbReader.decode(whole, Path.of("whole"), Long.MAX_VALUE).data(),
                            RgbReader.decode(striped, Path.of("striped"), Long.MAX_VALUE).data());
                      } catch (SceneLoadException e) {
                        throw new AssertionError(e);
                      }
                    }));
  }

  @Test
  void stripedBytesDoNotDependOnTheThreads() {
    Raster r = photo(700, 900, 5);
    boolean enabled = Parallel.enabled;
    int minWork = Parallel.minWork;
    int forced = Parallel.forcedParts;
    try {
      Parallel.enabled = false;
      byte[] one = ImageCodec.encodeJpeg(r, 95);
      Parallel.enabled = true;
      Parallel.minWork = 0;
      for (int parts : new int[] {2, 3, 7}) {
        Parallel.forcedParts = parts;
        assertArrayEquals(one, ImageCodec.encodeJpeg(r, 95), parts + " parts");
      }
    } finally {
      Parallel.enabled = enabled;
      Parallel.minWork = minWork;
      Parallel.forcedParts = forced;
    }
  }

  @Test
  void restartMarkersCycleAndTheIntervalIsOneStrip() {
    Raster r = photo(1024, 768, 9); // above the default threshold: striped as shipped
    byte[] j = ImageCodec.encodeJpeg(r, 95);
    int rows = ImageCodec.stripRows(1024, 768);
    assertEquals(128, rows);
    List<Integer> rst = restartMarkers(j);
    assertEquals(768 / 128 - 1, rst.size());
    for (int i = 0; i < rst.size(); i++) {
      assertEquals(0xD0 + (i & 7), rst.get(i));
    }
    int dri = indexOf(j, 0xDD);
    assertTrue(dri > 0, "DRI segment");
    assertEquals(128 / 16 * (1024 / 16), (j[dri + 4] & 0xFF) << 8 | (j[dri + 5] & 0xFF));
    // The frame header carries the whole height.
    int sof = indexOf(j, 0xC0);
    assertEquals(768, (j[sof + 5] & 0xFF) << 8 | (j[sof + 6] & 0xFF));
    assertEquals(1024, (j[sof + 7] & 0xFF) << 8 | (j[sof + 8] & 0xFF));
    // Small images are encoded whole, with no restart markers.
    assertEquals(0, ImageCodec.stripRows(640, 480));
    assertTrue(restartMarkers(ImageCodec.encodeJpeg(photo(640, 480, 1), 95)).isEmpty());
    // Even the widest JPEG (65535 pixels: 4096 MCUs a row) keeps the interval within 16 bits.
    assertEquals(128, ImageCodec.stripRows(65535, 2000));
    assertTrue(128 / 16 * 4096 <= 0xFFFF);
  }

  /** The restart markers (FFD0..FFD7) in the entropy-coded data, in order. */
  private static List<Integer> restartMarkers(byte[] j) {
    List<Integer> out = new ArrayList<>();
    int sos = indexOf(j, 0xDA);
    for (int p = sos + 2; p + 1 < j.length; p++) {
      if ((j[p] & 0xFF) == 0xFF) {
        int m = j[p + 1] & 0xFF;
        if (m >= 0xD0 && m <= 0xD7) {
          out.add(m);
        }
      }
    }
    return out;
  }

  /** The offset of the first header marker FFxx with the given code (walking the segments). */
  private static int indexOf(byte[] j, int code) {
    int p = 2;
    while (p + 3 < j.length) {
      int m = j[p + 1] & 0xFF;
      if (m == code) {
        return p;
      }
      if (m == 0xDA) {
        return -1;
      }
      p += 2 + ((j[p + 2] & 0xFF) << 8 | (j[p + 3] & 0xFF));
    }
    return -1;
  }
}
