package dev.ssrl.tasks.scene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssrl.api.Raster;
import dev.ssrl.tasks.scene.impl.PngHeader;
import dev.ssrl.tasks.scene.impl.RgbReader;
import dev.ssrl.testsupport.SharedData;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SceneLoaderRgbTest {
  private static final SceneLoader LOADER = SceneLoader.defaults();

  @TempDir Path tmp;

  // ---------- real data ----------

  @ParameterizedTest
  @CsvSource({
    "case1.jpg, 1328, 818",
    "case2.jpg, 1086, 698",
    "eg1.jpg, 375, 500",
    "eg2.jpg, 640, 427",
    "eg3.jpg, 640, 426",
    "eg4.jpg, 640, 480",
    "eg5.jpg, 500, 335",
    "eg6.jpg, 640, 454",
    "eg_qwen3vl.jpg, 640, 480",
  })
  void sharedJpegsLoadAtTheirHeaderSizeWithFullTonalRange(String name, int w, int h)
      throws IOException {
    Raster r = LOADER.loadRgb(SharedData.require("data/rgb/" + name));
    assertEquals(w, r.width());
    assertEquals(h, r.height());
    int[] min = {255, 255, 255};
    int[] max = {0, 0, 0};
    byte[] d = r.data();
    for (int i = 0; i < d.length; i++) {
      int v = d[i] & 0xFF;
      min[i % 3] = Math.min(min[i % 3], v);
      max[i % 3] = Math.max(max[i % 3], v);
    }
    for (int c = 0; c < 3; c++) {
      assertTrue(
          max[c] - min[c] > 100, name + " channel " + c + " range " + min[c] + ".." + max[c]);
    }
  }

  @Test
  void opaqueRgbaPngMatchesAnIndependentDecode() throws IOException {
    // Reference: zlib + PNG unfiltering in Python (numpy), alpha is 255 everywhere in this file.
    Raster r = LOADER.loadRgb(SharedData.require("data/rgb/scene-1.png"));
    assertEquals(902, r.width());
    assertEquals(1186, r.height());
    assertMeans(r, 111.33309247, 86.5905679, 88.11009916);
    assertEquals(0x000000, r.rgbAt(0, 0));
  }

  @Test
  void diodeRgbPngMatchesAnIndependentDecode() throws IOException {
    Raster r = LOADER.loadRgb(SharedData.require("data/rgbd/diode-1.png"));
    assertEquals(1024, r.width());
    assertEquals(768, r.height());
    assertMeans(r, 113.62923431, 98.89019394, 83.38185628);
    assertEquals(240 << 16 | 251 << 8 | 252, r.rgbAt(0, 0));
    assertEquals(95 << 16 | 83 << 8 | 77, r.rgbAt(200, 100));
  }

  private static void assertMeans(Raster r, double... expected) {
    double[] sum = new double[3];
    byte[] d = r.data();
    for (int i = 0; i < d.length; i++) {
      sum[i % 3] += d[i] & 0xFF;
    }
    long n = (long) r.width() * r.height();
    for (int c = 0; c < 3; c++) {
      assertEquals(expected[c], sum[c] / n, 1e-6, "channel " + c);
    }
  }

  // ---------- PNG colour types ----------

  @Test
  void greyPngBecomesEqualRgbChannelsWithoutGammaChange() throws IOException {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster wr = img.getRaster();
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        wr.setSample(x, y, 0, (x * 4 + y) & 0xFF);
      }
    }
    Raster r = load("grey.png", SceneTestImages.png(img), PngHeader.GREY, 8);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        int g = (x * 4 + y) & 0xFF;
        assertEquals(g << 16 | g << 8 | g, r.rgbAt(x, y));
      }
    }
  }

  @Test
  void sixteenBitGreyPngIsScaledTo8Bit() throws IOException {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        img.getRaster().setSample(x, y, 0, 257 * ((x + y * 3) % 256));
      }
    }
    Raster r = load("grey16.png", SceneTestImages.png(img), PngHeader.GREY, 16);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        int g = (x + y * 3) % 256; // 257·g is exactly g in 8 bits
        assertEquals(g << 16 | g << 8 | g, r.rgbAt(x, y));
      }
    }
  }

  @Test
  void sixteenBitRgbPngIsScaledTo8Bit() throws IOException {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_USHORT);
    WritableRaster wr = cm.createCompatibleWritableRaster(64, 64);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        wr.setPixel(x, y, new int[] {257 * x, 257 * y, 65535 - 257 * x});
      }
    }
    BufferedImage img = new BufferedImage(cm, wr, false, null);
    Raster r = load("rgb16.png", SceneTestImages.png(img), PngHeader.RGB, 16);
    assertEquals(10 << 16 | 20 << 8 | 245, r.rgbAt(10, 20));
    assertEquals(63 << 16 | 0 << 8 | 192, r.rgbAt(63, 0));
  }

  @Test
  void rgbaPngIsCompositedOverWhite() throws IOException {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        int a = x < 32 ? 0 : (y < 32 ? 255 : 128);
        img.setRGB(x, y, a << 24 | 200 << 16 | 0 << 8 | 100);
      }
    }
    Raster r = load("rgba.png", SceneTestImages.png(img), PngHeader.RGBA, 8);
    assertEquals(0xFFFFFF, r.rgbAt(5, 5), "fully transparent shows white");
    assertEquals(200 << 16 | 0 << 8 | 100, r.rgbAt(40, 5), "opaque keeps its colour");
    // Half transparent: c·a/255 + 255·(1 − a/255) with a = 128.
    int[] want = {
      (int) Math.round(200 * 128 / 255.0 + 255 * 127 / 255.0),
      (int) Math.round(0 * 128 / 255.0 + 255 * 127 / 255.0),
      (int) Math.round(100 * 128 / 255.0 + 255 * 127 / 255.0)
    };
    assertRgbNear(want, r.rgbAt(40, 40), 1);
  }

  @Test
  void greyAlphaPngIsCompositedOverWhite() throws IOException {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_BYTE);
    WritableRaster wr = cm.createCompatibleWritableRaster(64, 64);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        wr.setPixel(x, y, new int[] {50, x < 32 ? 255 : 0});
      }
    }
    BufferedImage img = new BufferedImage(cm, wr, false, null);
    Raster r = load("ga.png", SceneTestImages.png(img), PngHeader.GREY_ALPHA, 8);
    assertEquals(50 << 16 | 50 << 8 | 50, r.rgbAt(3, 3));
    assertEquals(0xFFFFFF, r.rgbAt(60, 3));
  }

  @Test
  void palettePngUsesPaletteColours() throws IOException {
    byte[] red = {(byte) 255, 0, 10, 0};
    byte[] green = {0, (byte) 255, 20, 0};
    byte[] blue = {0, 0, 30, (byte) 255};
    IndexColorModel icm = new IndexColorModel(8, 4, red, green, blue);
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_INDEXED, icm);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        img.getRaster().setSample(x, y, 0, (x / 16) % 4);
      }
    }
    Raster r = load("pal.png", SceneTestImages.png(img), PngHeader.PALETTE, 8);
    assertEquals(0xFF0000, r.rgbAt(0, 0));
    assertEquals(0x00FF00, r.rgbAt(16, 0));
    assertEquals(10 << 16 | 20 << 8 | 30, r.rgbAt(32, 63));
    assertEquals(0x0000FF, r.rgbAt(63, 63));
  }

  private Raster load(String name, byte[] png, int colourType, int bitDepth) throws IOException {
    PngHeader h = PngHeader.parse(png, Path.of(name));
    assertEquals(colourType, h.colorType(), "test input has the intended colour type");
    assertEquals(bitDepth, h.bitDepth(), "test input has the intended bit depth");
    return LOADER.loadRgb(SceneTestImages.write(tmp, name, png));
  }

  private static void assertRgbNear(int[] want, int got, int tol) {
    int[] g = {got >> 16 & 0xFF, got >> 8 & 0xFF, got & 0xFF};
    for (int c = 0; c < 3; c++) {
      assertTrue(
          Math.abs(want[c] - g[c]) <= tol,
          "channel " + c + ": want " + Arrays.toString(want) + " got " + Arrays.toString(g));
    }
  }

  // ---------- JPEG specifics ----------

  /** Quadrants: top-left red, top-right green, bottom-left blue, bottom-right white. */
  private static BufferedImage quadrants(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, w / 2, h / 2);
    g.setColor(Color.GREEN);
    g.fillRect(w / 2, 0, w - w / 2, h / 2);
    g.setColor(Color.BLUE);
    g.fillRect(0, h / 2, w / 2, h - h / 2);
    g.setColor(Color.WHITE);
    g.fillRect(w / 2, h / 2, w - w / 2, h - h / 2);
    g.dispose();
    return img;
  }

  /**
   * EXIF 2.3 defines each orientation by where the stored 0th row and 0th column are shown; from
   * it, where the stored top-left (red) and top-right (green) corners end up on screen.
   */
  @ParameterizedTest
  @CsvSource({
    "1, TL, TR", "2, TR, TL", "3, BR, BL", "4, BL, BR",
    "5, TL, BL", "6, TR, BR", "7, BR, TR", "8, BL, TL"
  })
  void exifOrientationIsApplied(int orientation, String redAt, String greenAt) throws IOException {
    int w = 160;
    int h = 96;
    byte[] jpeg = SceneTestImages.jpeg(quadrants(w, h), null);
    for (boolean big : new boolean[] {true, false}) {
      byte[] tagged =
          SceneTestImages.insertAfterSoi(jpeg, SceneTestImages.exifOrientation(orientation, big));
      Raster r = LOADER.loadRgb(SceneTestImages.write(tmp, "o" + orientation + ".jpg", tagged));
      boolean swapped = orientation >= 5;
      assertEquals(swapped ? h : w, r.width());
      assertEquals(swapped ? w : h, r.height());
      assertRgbNear(new int[] {255, 0, 0}, corner(r, redAt), 40);
      assertRgbNear(new int[] {0, 255, 0}, corner(r, greenAt), 40);
    }
  }

  private static int corner(Raster r, String which) {
    int x = which.charAt(1) == 'L' ? 8 : r.width() - 9;
    int y = which.charAt(0) == 'T' ? 8 : r.height() - 9;
    return r.rgbAt(x, y);
  }

  @Test
  void adobeCmykJpegIsConvertedWithInvertedInks() throws IOException {
    // Photoshop stores CMYK inverted (255 = no ink): cyan, red (M+Y), black (K), white.
    int[][] q = {{0, 255, 255, 255}, {255, 0, 0, 255}, {255, 255, 255, 0}, {255, 255, 255, 255}};
    byte[] raw = SceneTestImages.jpeg(null, SceneTestImages.fourBand(128, 128, q));
    byte[] cmyk = SceneTestImages.insertAfterSoi(raw, SceneTestImages.adobe(0));
    Raster r = LOADER.loadRgb(SceneTestImages.write(tmp, "cmyk.jpg", cmyk));
    assertEquals(128, r.width());
    assertRgbNear(new int[] {0, 255, 255}, corner(r, "TL"), 12);
    assertRgbNear(new int[] {255, 0, 0}, corner(r, "TR"), 12);
    assertRgbNear(new int[] {0, 0, 0}, corner(r, "BL"), 12);
    assertRgbNear(new int[] {255, 255, 255}, corner(r, "BR"), 12);
  }

  @Test
  void ycckJpegIsConvertedLikeLibjpeg() throws IOException {
    // YCCK (200, 128, 128, K=180): YCbCr (200, 128, 128) is RGB grey 200, which libjpeg turns
    // into Adobe (inverted) CMY of 255 − 200 = 55; the shown colour is then 55·180/255 ≈ 39.
    int[] p = {200, 128, 128, 180};
    byte[] raw =
        SceneTestImages.jpeg(null, SceneTestImages.fourBand(64, 64, new int[][] {p, p, p, p}));
    byte[] ycck = SceneTestImages.insertAfterSoi(raw, SceneTestImages.adobe(2));
    Raster r = LOADER.loadRgb(SceneTestImages.write(tmp, "ycck.jpg", ycck));
    assertRgbNear(new int[] {39, 39, 39}, r.rgbAt(32, 32), 3);
  }

  @Test
  void rawSampleFallbackAgreesWithTheNormalJpegDecode() throws IOException {
    // The fallback for JPEGs the JDK refuses to colour-convert: raw YCbCr samples, our formula.
    Path p = SharedData.require("data/rgb/eg2.jpg");
    byte[] bytes = Files.readAllBytes(p);
    Raster normal = LOADER.loadRgb(p);
    byte[] fallback = RgbReader.threeComponentToRgb(RgbReader.readRaster(bytes, p), true);
    int worst = 0;
    for (int i = 0; i < fallback.length; i++) {
      worst = Math.max(worst, Math.abs((fallback[i] & 0xFF) - (normal.data()[i] & 0xFF)));
    }
    assertTrue(worst <= 2, "largest difference " + worst);
  }

  @Test
  void greyJpegBecomesEqualRgbChannels() throws IOException {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(90, 90, 90));
    g.fillRect(0, 0, 64, 64);
    g.dispose();
    byte[] jpeg = SceneTestImages.jpeg(img, null);
    Raster r = LOADER.loadRgb(SceneTestImages.write(tmp, "grey.jpg", jpeg));
    int c = r.rgbAt(30, 30);
    assertEquals(c >> 16 & 0xFF, c & 0xFF);
    assertEquals(c >> 8 & 0xFF, c & 0xFF);
    assertTrue(Math.abs((c & 0xFF) - 90) <= 2, "grey level " + (c & 0xFF));
  }

  // ---------- bad inputs ----------

  @Test
  void truncatedJpegIsRejectedNotGreyFilled() throws IOException {
    byte[] full = Files.readAllBytes(SharedData.require("data/rgb/eg1.jpg"));
    for (int cut : new int[] {full.length - 2, full.length * 6 / 10, 400, 3}) {
      Path p = SceneTestImages.write(tmp, "cut" + cut + ".jpg", Arrays.copyOf(full, cut));
      SceneLoadException e = assertThrows(SceneLoadException.class, () -> LOADER.loadRgb(p));
      assertTrue(e.getMessage().contains("truncated JPEG"), e.getMessage());
      assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
    }
  }

  @Test
  void truncatedPngIsRejected() throws IOException {
    byte[] full = Files.readAllBytes(SharedData.require("data/rgbd/diode-1.png"));
    for (int cut : new int[] {full.length - 12, full.length / 2, 40}) {
      Path p = SceneTestImages.write(tmp, "cut" + cut + ".png", Arrays.copyOf(full, cut));
      SceneLoadException e = assertThrows(SceneLoadException.class, () -> LOADER.loadRgb(p));
      assertTrue(e.getMessage().contains("truncated PNG"), e.getMessage());
    }
  }

  @Test
  void zeroByteFileIsRejectedAsEmpty() throws IOException {
    Path p = SceneTestImages.write(tmp, "empty.jpg", new byte[0]);
    SceneLoadException e = assertThrows(SceneLoadException.class, () -> LOADER.loadRgb(p));
    assertEquals(p + ": empty file (0 bytes)", e.getMessage());
    assertEquals(p, e.path());
  }

  @Test
  void missingFileIsRejectedAsNotFound() {
    Path p = tmp.resolve("nope.png");
    SceneLoadException e = assertThrows(SceneLoadException.class, () -> LOADER.loadRgb(p));
    assertTrue(e.getMessage().contains("file not found"), e.getMessage());
  }

  @Test
  void pngNamedJpgLoadsByContent() throws IOException {
    byte[] png = SceneTestImages.png(quadrants(64, 64));
    Raster r = LOADER.loadRgb(SceneTestImages.write(tmp, "really-a-png.jpg", png));
    assertEquals(0xFF0000, r.rgbAt(0, 0));
    assertEquals(0xFFFFFF, r.rgbAt(63, 63));
  }

  @Test
  void textFileNamedPngIsRejectedClearly() throws IOException {
    Path p =
        SceneTestImages.write(
            tmp, "notes.png", "hello, not an image".getBytes(StandardCharsets.US_ASCII));
    SceneLoadException e = assertThrows(SceneLoadException.class, () -> LOADER.loadRgb(p));
    assertTrue(e.getMessage().contains("not a JPEG or PNG"), e.getMessage());
    assertTrue(
        e.getMessage().contains("68 65 6C 6C 6F"), "shows the first bytes: " + e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 63})
  void imagesBelow64PixelsAreRejected(int side) throws IOException {
    byte[] png = SceneTestImages.png(new BufferedImage(side, 80, BufferedImage.TYPE_3BYTE_BGR));
    Path p = SceneTestImages.write(tmp, "small.png", png);
    SceneLoadException e = assertThrows(SceneLoadException.class, () -> LOADER.loadRgb(p));
    assertTrue(e.getMessage().contains("smaller than the minimum 64x64"), e.getMessage());
  }

  @Test
  void tinyJpegIsRejected() throws IOException {
    byte[] jpeg = SceneTestImages.jpeg(new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR), null);
    Path p = SceneTestImages.write(tmp, "dot.jpg", jpeg);
    SceneLoadException e = assertThrows(SceneLoadException.class, () -> LOADER.loadRgb(p));
    assertTrue(e.getMessage().contains("1x1 is smaller"), e.getMessage());
  }

  @Test
  void hugePngHeaderIsRefusedBeforeDecoding() throws IOException {
    // A 45-byte file that claims 100000 × 100000 pixels: decoding would need 30 GB.
    byte[] ihdr = {
      (byte) 0x89,
      'P',
      'N',
      'G',
      '\r',
      '\n',
      0x1A,
      '\n',
      0,
      0,
      0,
      13,
      'I',
      'H',
      'D',
      'R',
      0,
      1,
      (byte) 0x86,
      (byte) 0xA0,
      0,
      1,
      (byte) 0x86,
      (byte) 0xA0,
      8,
      2,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      'I',
      'E',
      'N',
      'D',
      (byte) 0xAE,
      0x42,
      0x60,
      (byte) 0x82
    };
    Path p = SceneTestImages.write(tmp, "bomb.png", ihdr);
    SceneLoadException e = assertThrows(SceneLoadException.class, () -> LOADER.loadRgb(p));
    assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
    assertTrue(e.getMessage().contains("refused before decoding"), e.getMessage());
  }

  @Test
  void hugeJpegFrameHeaderIsRefusedBeforeDecoding() throws IOException {
    byte[] jpeg = SceneTestImages.jpeg(quadrants(64, 64), null);
    int sof = 2;
    while ((jpeg[sof + 1] & 0xFF) != 0xC0) {
      sof += 2 + ((jpeg[sof + 2] & 0xFF) << 8 | (jpeg[sof + 3] & 0xFF));
    }
    // Height and width fields of SOF0 both set to 60000.
    for (int k : new int[] {5, 7}) {
      jpeg[sof + k] = (byte) (60000 >> 8);
      jpeg[sof + k + 1] = (byte) 60000;
    }
    Path p = SceneTestImages.write(tmp, "bomb.jpg", jpeg);
    SceneLoadException e = assertThrows(SceneLoadException.class, () -> LOADER.loadRgb(p));
    assertTrue(e.getMessage().contains("60000x60000"), e.getMessage());
    assertTrue(e.getMessage().contains("refused before decoding"), e.getMessage());
  }

  @Test
  void pixelBudgetIsConfigurable() throws IOException {
    Path p = SharedData.require("data/rgbd/diode-1.png");
    SceneLoader small = LOADER.withMaxPixels(1024 * 768 - 1);
    SceneLoadException e = assertThrows(SceneLoadException.class, () -> small.loadRgb(p));
    assertTrue(e.getMessage().contains("pixel budget of 786431"), e.getMessage());
    assertEquals(1024, LOADER.withMaxPixels(1024 * 768).loadRgb(p).width());
    assertThrows(IllegalArgumentException.class, () -> LOADER.withMaxPixels(0));
  }

  @Test
  void unreadableFileIsRejected() throws IOException {
    Path p = SceneTestImages.write(tmp, "locked.png", SceneTestImages.png(quadrants(64, 64)));
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
    } catch (UnsupportedOperationException e) {
      Assumptions.abort("no POSIX permissions on this file system");
    }
    Assumptions.assumeFalse(
        Files.isReadable(p), "running as a user (root) who can read a chmod 000 file");
    SceneLoadException e = assertThrows(SceneLoadException.class, () -> LOADER.loadRgb(p));
    assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
  }
}
