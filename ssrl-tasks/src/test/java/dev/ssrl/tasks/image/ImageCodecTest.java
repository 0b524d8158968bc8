package dev.ssrl.tasks.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.api.Raster;
import dev.ssrl.tasks.scene.SceneLoadException;
import dev.ssrl.tasks.scene.impl.RgbReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImageCodecTest {
  private static final Path MEMORY = Path.of("memory");

  /** A smooth image with texture, the kind JPEG reproduces closely. */
  private static Raster smooth(int w, int h) {
    byte[] d = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        d[i] = (byte) (128 + 100 * Math.sin(x / 13.0));
        d[i + 1] = (byte) (128 + 100 * Math.cos(y / 17.0));
        d[i + 2] = (byte) ((x + y) * 255 / (w + h));
      }
    }
    return Raster.of(w, h, d);
  }

  @Test
  void jpegBytesAreDeterministic() {
    Raster r = smooth(200, 150);
    assertArrayEquals(ImageCodec.encodeJpeg(r), ImageCodec.encodeJpeg(r));
    assertArrayEquals(ImageCodec.encodeJpeg(r, 70), ImageCodec.encodeJpeg(r, 70));
    Raster copy = Raster.of(200, 150, r.data().clone());
    assertArrayEquals(ImageCodec.encodeJpeg(r), ImageCodec.encodeJpeg(copy));
  }

  @Test
  void encodingTheRasterInPlaceGivesTheBytesOfAStandardBgrImage() {
    // The codec hands ImageIO a zero-copy RGB view; the JDK's own TYPE_3BYTE_BGR image of the same
    // pixels is the reference it must match byte for byte.
    qt().withExamples(20)
        .forAll(integers().between(1, 90), integers().between(1, 70), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              byte[] d = new byte[w * h * 3];
              new SplittableRandom(seed).nextBytes(d);
              Raster r = Raster.of(w, h, d);
              java.awt.image.BufferedImage bgr =
                  new java.awt.image.BufferedImage(
                      w, h, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
              for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                  int i = (y * w + x) * 3;
                  bgr.setRGB(
                      x, y, (d[i] & 0xFF) << 16 | (d[i + 1] & 0xFF) << 8 | (d[i + 2] & 0xFF));
                }
              }
              assertArrayEquals(imageIo(bgr, "jpeg", 0.95f), ImageCodec.encodeJpeg(r, 95));
              assertArrayEquals(imageIo(bgr, "png", -1), ImageCodec.encodePng(r));
              assertArrayEquals(d.clone(), r.data(), "the encoders must not touch the raster");
            });
  }

  /** ImageIO's writer on a plain image, with a memory stream as ImageCodec uses. */
  private static byte[] imageIo(java.awt.image.BufferedImage img, String format, float quality) {
    javax.imageio.ImageWriter w = javax.imageio.ImageIO.getImageWritersByFormatName(format).next();
    try {
      javax.imageio.ImageWriteParam p = w.getDefaultWriteParam();
      if (quality >= 0) {
        p.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(quality);
        p.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DISABLED);
      }
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      try (javax.imageio.stream.ImageOutputStream out =
          new javax.imageio.stream.MemoryCacheImageOutputStream(bytes)) {
        w.setOutput(out);
        w.write(null, new javax.imageio.IIOImage(img, null, null), p);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      w.dispose();
    }
  }

  @Test
  void jpegRoundTripIsCloseAtDefaultQuality() throws IOException {
    Raster r = smooth(200, 150);
    Raster back = RgbReader.decode(ImageCodec.encodeJpeg(r), MEMORY, Long.MAX_VALUE);
    assertEquals(200, back.width());
    assertEquals(150, back.height());
    double err = 0;
    for (int i = 0; i < r.data().length; i++) {
      err += Math.abs((r.data()[i] & 0xFF) - (back.data()[i] & 0xFF));
    }
    double mae = err / r.data().length;
    assertTrue(mae < 2.0, "mean absolute error at quality 95: " + mae);
  }

  @Test
  void jpegIsBaselineWithOnlyAJfifHeader() {
    byte[] j = ImageCodec.encodeJpeg(smooth(80, 64));
    // Walk the markers up to the scan: APP0 (JFIF) is the only application segment.
    int p = 2;
    boolean baseline = false;
    while ((j[p + 1] & 0xFF) != 0xDA) {
      int marker = j[p + 1] & 0xFF;
      if (marker >= 0xE1 && marker <= 0xEF) {
        throw new AssertionError(String.format("unexpected APP%d segment", marker - 0xE0));
      }
      assertTrue(marker != 0xFE, "no comment segment");
      baseline |= marker == 0xC0;
      assertTrue(marker != 0xC2, "not progressive");
      p += 2 + ((j[p + 2] & 0xFF) << 8 | (j[p + 3] & 0xFF));
    }
    assertTrue(baseline, "SOF0 (baseline) frame");
    assertEquals('J', j[6]);
    assertEquals('F', j[7]);
  }

  @Test
  void higherQualityIsLargerAndCloser() throws IOException {
    Raster r = smooth(160, 120);
    byte[] low = ImageCodec.encodeJpeg(r, 10);
    byte[] high = ImageCodec.encodeJpeg(r, 100);
    assertTrue(low.length < high.length, low.length + " < " + high.length);
    ImageCodec.encodeJpeg(r, 0);
    assertThrows(IllegalArgumentException.class, () -> ImageCodec.encodeJpeg(r, 101));
    assertThrows(IllegalArgumentException.class, () -> ImageCodec.encodeJpeg(r, -1));
  }

  @Test
  void pngRoundTripIsLosslessAndDeterministic() {
    qt().withExamples(12)
        .forAll(integers().between(64, 130), integers().between(64, 130), longs().all())
        .checkAssert(
            (w, h, seed) -> {
              byte[] d = new byte[w * h * 3];
              new SplittableRandom(seed).nextBytes(d);
              Raster r = Raster.of(w, h, d);
              byte[] png = ImageCodec.encodePng(r);
              assertArrayEquals(png, ImageCodec.encodePng(r));
              try {
                assertEquals(r, RgbReader.decode(png, MEMORY, Long.MAX_VALUE));
              } catch (SceneLoadException e) {
                throw new AssertionError(e);
              }
            });
  }
}
