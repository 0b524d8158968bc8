package dev.ssrl.tasks.scene.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.tasks.impl.Parallel;
import dev.ssrl.tasks.scene.SceneLoadException;
import dev.ssrl.testsupport.SharedData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * {@link PngFastPath} must give exactly what the ImageIO route gives, or step aside ({@code null}).
 * The PNGs are written here by a small encoder that uses every filter type in turn (ImageIO's own
 * writer picks filters by heuristics, so it might never exercise some), and by ImageIO itself.
 */
class PngFastPathTest {
  private static final Path NAME = Path.of("generated.png");

  /**
   * Decodes on one thread and pipelined on two (forced, whatever the size), requires the same
   * answer from both, and returns it.
   */
  private static byte[] decodeBothWays(byte[] png, int w, int h) {
    boolean enabled = Parallel.enabled;
    int min = PngFastPath.pipelineMinBytes;
    try {
      Parallel.enabled = false;
      byte[] sequential = PngFastPath.decode(png, w, h);
      Parallel.enabled = true;
      PngFastPath.pipelineMinBytes = 0;
      byte[] pipelined = PngFastPath.decode(png, w, h);
      assertArrayEquals(sequential, pipelined, "one thread and two threads disagree");
      return pipelined;
    } finally {
      Parallel.enabled = enabled;
      PngFastPath.pipelineMinBytes = min;
    }
  }

  @Test
  void pipelinedDecodeFinishesAloneWhenNoPoolThreadIsFree() throws Exception {
    // Occupy every common-pool worker: the unfiltering task cannot start, so the decoding thread
    // must claim it after its inflate instead of waiting for it.
    int workers = Math.max(1, ForkJoinPool.commonPool().getParallelism());
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch busy = new CountDownLatch(workers);
    for (int i = 0; i < workers; i++) {
      ForkJoinPool.commonPool()
          .execute(
              () -> {
                busy.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
    }
    try {
      assertTrue(busy.await(10, TimeUnit.SECONDS), "pool workers did not start");
      for (int layout : new int[] {PngHeader.GREY, PngHeader.RGB, PngHeader.RGBA}) {
        byte[] png = encode(300, 200, layout, layout, 3);
        assertArrayEquals(imageIo(png), decodeBothWays(png, 300, 200), "colour type " + layout);
      }
      byte[] badFilter = encode(64, 64, PngHeader.RGB, 5, 1, /* filterOverride= */ 9);
      assertNull(decodeBothWays(badFilter, 64, 64));
    } finally {
      release.countDown();
    }
  }

  @Test
  void everyFilterTypeAndLayoutDecodesAsImageIoDoes() {
    qt().withExamples(120)
        .forAll(
            integers().between(1, 97),
            integers().between(1, 61),
            integers().between(0, 2),
            longs().all())
        .checkAssert(
            (w, h, layout, seed) -> {
              int colourType = new int[] {PngHeader.GREY, PngHeader.RGB, PngHeader.RGBA}[layout];
              byte[] png = encode(w, h, colourType, seed, /* idatSplit= */ 1 + (int) (seed & 7));
              byte[] fast = decodeBothWays(png, w, h);
              assertNotNull(fast, "8-bit grey/RGB/RGBA must take the fast path");
              assertArrayEquals(imageIo(png), fast, w + "x" + h + " type " + colourType);
            });
  }

  @Test
  void pngsWrittenByImageIoDecodeAsImageIoDoes() throws IOException {
    SplittableRandom rnd = new SplittableRandom(3);
    for (int type :
        new int[] {
          BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_GRAY
        }) {
      BufferedImage img = new BufferedImage(131, 77, type);
      for (int y = 0; y < 77; y++) {
        for (int x = 0; x < 131; x++) {
          // Smooth gradients plus noise, so that the writer's filter choice varies by row.
          int v = (x * 2 + y * 3 + rnd.nextInt(9)) & 0xFF;
          img.setRGB(x, y, (rnd.nextInt(256) << 24) | v << 16 | (255 - v) << 8 | (v * 7 & 0xFF));
        }
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ImageIO.write(img, "png", bytes);
      byte[] png = bytes.toByteArray();
      assertArrayEquals(imageIo(png), decodeBothWays(png, 131, 77), "image type " + type);
    }
  }

  @Test
  void theSharedPhotosDecodeAsImageIoDoes() throws IOException {
    for (String f : new String[] {"data/rgb/scene-1.png", "data/rgbd/diode-1.png"}) {
      byte[] png = Files.readAllBytes(SharedData.require(f));
      PngHeader h = PngHeader.parse(png, NAME);
      byte[] fast = decodeBothWays(png, h.width(), h.height());
      assertNotNull(fast, f);
      assertArrayEquals(imageIo(png), fast, f);
    }
  }

  @Test
  void otherLayoutsAndDamagedDataAreLeftToImageIo() throws Exception {
    byte[] good = encode(40, 30, PngHeader.RGB, 1, 2);
    byte[] sixteenBit = good.clone();
    sixteenBit[24] = 16;
    assertNull(decodeBothWays(sixteenBit, 40, 30), "16-bit");
    byte[] interlaced = good.clone();
    interlaced[28] = 1;
    assertNull(decodeBothWays(interlaced, 40, 30), "interlaced");
    byte[] palette = good.clone();
    palette[25] = PngHeader.PALETTE;
    assertNull(decodeBothWays(palette, 40, 30), "palette");
    assertNull(decodeBothWays(good, 40, 31), "more rows than the data holds");

    // A bad filter byte: the fast path declines, and the full decoder still reports the file.
    byte[] badFilter = encode(64, 64, PngHeader.RGB, 5, 1, /* filterOverride= */ 9);
    assertNull(decodeBothWays(badFilter, 64, 64));
    Path file = Files.createTempFile("bad-filter", ".png");
    try {
      Files.write(file, badFilter);
      assertThrows(SceneLoadException.class, () -> RgbReader.read(file, 1L << 30));
    } finally {
      Files.delete(file);
    }

    byte[] withTrns = insertChunkBeforeIdat(good, "tRNS", new byte[] {0, 1, 0, 2, 0, 3});
    assertNull(decodeBothWays(withTrns, 40, 30), "tRNS adds alpha in ImageIO");
  }

  @Test
  void branchlessPaethPicksWhatTheSpecificationsPredictorPicks() {
    // Exhaustive over all 2^24 neighbour triples, against PNG §9.4 written out literally.
    for (int a = 0; a < 256; a++) {
      for (int b = 0; b < 256; b++) {
        for (int c = 0; c < 256; c++) {
          int p = a + b - c;
          int pa = Math.abs(p - a);
          int pb = Math.abs(p - b);
          int pc = Math.abs(p - c);
          int expected = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          if (PngFastPath.paeth(a, b, c) != expected) {
            throw new AssertionError("paeth(" + a + ", " + b + ", " + c + ") != " + expected);
          }
        }
      }
    }
  }

  @Test
  void unfilterIsTheInverseOfEachFilter() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (int bpp : new int[] {1, 3, 4}) {
      for (int type = 0; type <= 4; type++) {
        byte[] prev = new byte[bpp * 23];
        byte[] raw = new byte[bpp * 23];
        rnd.nextBytes(prev);
        rnd.nextBytes(raw);
        byte[] filtered = filter(type, raw, prev, bpp);
        PngFastPath.unfilter((byte) type, filtered, prev, bpp);
        assertArrayEquals(raw, filtered, "filter " + type + ", " + bpp + " bytes per pixel");
      }
    }
  }

  private static byte[] imageIo(byte[] png) {
    try {
      return RgbReader.decodePngWithImageIo(png, NAME);
    } catch (SceneLoadException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] encode(int w, int h, int colourType, long seed, int idatSplit) {
    return encode(w, h, colourType, seed, idatSplit, -1);
  }

  /** A PNG with filter type {@code y % 5} on row y (or {@code filterOverride}). */
  static byte[] encode(int w, int h, int colourType, long seed, int idatSplit, int filterOverride) {
    int bpp = colourType == PngHeader.GREY ? 1 : colourType == PngHeader.RGB ? 3 : 4;
    SplittableRandom rnd = new SplittableRandom(seed);
    int row = w * bpp;
    byte[] prev = new byte[row];
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    for (int y = 0; y < h; y++) {
      byte[] cur = new byte[row];
      for (int i = 0; i < row; i++) {
        boolean alpha = colourType == PngHeader.RGBA && i % 4 == 3;
        // Alpha: mostly opaque, some fully transparent, some in between.
        cur[i] =
            alpha
                ? (byte) (rnd.nextInt(3) == 0 ? 255 : rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(256))
                : (byte) ((i * 5 + y * 3 + rnd.nextInt(16)) & 0xFF);
      }
      int type = filterOverride >= 0 ? filterOverride : y % 5;
      raw.write(type);
      byte[] f = filter(Math.min(type, 4), cur, prev, bpp);
      raw.write(f, 0, f.length);
      prev = cur;
    }
    Deflater d = new Deflater(6);
    d.setInput(raw.toByteArray());
    d.finish();
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (!d.finished()) {
      z.write(buf, 0, d.deflate(buf));
    }
    d.end();
    byte[] data = z.toByteArray();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    chunk(
        png,
        "IHDR",
        ByteBuffer.allocate(13)
            .putInt(w)
            .putInt(h)
            .put((byte) 8)
            .put((byte) colourType)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0)
            .array());
    // Several IDAT chunks, so that rows straddle chunk boundaries.
    int step = Math.max(1, (data.length + idatSplit - 1) / idatSplit);
    for (int off = 0; off < data.length; off += step) {
      chunk(png, "IDAT", Arrays.copyOfRange(data, off, Math.min(data.length, off + step)));
    }
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static byte[] filter(int type, byte[] cur, byte[] prev, int bpp) {
    byte[] f = new byte[cur.length];
    for (int i = 0; i < cur.length; i++) {
      int a = i >= bpp ? cur[i - bpp] & 0xFF : 0;
      int b = prev[i] & 0xFF;
      int c = i >= bpp ? prev[i - bpp] & 0xFF : 0;
      int pred =
          switch (type) {
            case 0 -> 0;
            case 1 -> a;
            case 2 -> b;
            case 3 -> (a + b) >>> 1;
            default -> {
              int p = a + b - c;
              int pa = Math.abs(p - a);
              int pb = Math.abs(p - b);
              int pc = Math.abs(p - c);
              yield pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
            }
          };
      f[i] = (byte) (cur[i] - pred);
    }
    return f;
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static byte[] insertChunkBeforeIdat(byte[] png, String type, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(png, 0, 33); // signature + IHDR
    chunk(out, type, data);
    out.write(png, 33, png.length - 33);
    return out.toByteArray();
  }
}
