package dev.ssrl.tasks.scene.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.tasks.scene.SceneLoadException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NpyReaderPropertyTest {
  private static final Path NAME = Path.of("t.npy");

  private static final List<String> DTYPES =
      List.of(
          "<f4", ">f4", "<f8", ">f8", "<u2", ">u2", "<i2", "|u1", "|i1", "<i4", ">u4", "<i8",
          "|b1");

  /** A value exactly representable in the dtype. */
  private static double draw(String dtype, SplittableRandom rnd) {
    char kind = dtype.charAt(1);
    int size = Integer.parseInt(dtype.substring(2));
    return switch (kind) {
      case 'f' ->
          size == 4 ? (double) (float) (rnd.nextDouble() * 200 - 100) : rnd.nextDouble() * 1e6;
      case 'b' -> rnd.nextInt(2);
      case 'u' -> size == 4 ? rnd.nextLong(1L << 32) : rnd.nextInt(1 << (8 * size));
      default ->
          size == 8
              ? rnd.nextLong(-(1L << 52), 1L << 52)
              : rnd.nextLong(-(1L << (8 * size - 1)), 1L << (8 * size - 1));
    };
  }

  @Test
  void writtenArraysReadBackElementForElement() {
    qt().withExamples(150)
        .forAll(
            integers().between(1, 9),
            integers().between(1, 9),
            integers().between(0, DTYPES.size() - 1),
            longs().all())
        .checkAssert(
            (h, w, dt, seed) -> {
              SplittableRandom rnd = new SplittableRandom(seed);
              String dtype = DTYPES.get(dt);
              boolean fortran = rnd.nextBoolean();
              int version = 1 + rnd.nextInt(3);
              String shape =
                  rnd.nextBoolean() ? "(" + h + ", " + w + ")" : "(" + h + ", " + w + ", 1)";
              double[] values = new double[h * w];
              for (int i = 0; i < values.length; i++) {
                values[i] = draw(dtype, rnd);
              }
              byte[] file = NpyTestFiles.write(version, dtype, fortran, shape, h, w, values);
              NpyReader.NpyArray a;
              try {
                a = NpyReader.parse(file, NAME, Long.MAX_VALUE);
              } catch (SceneLoadException e) {
                throw new AssertionError(e);
              }
              assertEquals(h, a.height());
              assertEquals(w, a.width());
              assertEquals(dtype.charAt(1) != 'f', a.integral());
              double scale = rnd.nextBoolean() ? 1.0 : 0.001;
              float[] floats = a.toFloats(scale);
              byte[] mask = a.toMask();
              for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                  double v = values[y * w + x];
                  assertEquals(v, a.get(y, x), dtype + " at " + y + "," + x);
                  // The bulk conversions agree with the element accessor, whatever the layout.
                  assertEquals((float) (v * scale), floats[y * w + x], dtype + " toFloats");
                  assertEquals(v != 0 ? 1 : 0, mask[y * w + x], dtype + " toMask");
                }
              }
            });
  }

  @Test
  void halfPrecisionKnownBitPatterns() throws SceneLoadException {
    short[] bits = {0x3C00, (short) 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x3555, 0x0000};
    float[] want = {1f, -2f, 65504f, 5.9604645e-8f, Float.POSITIVE_INFINITY, 0.33325195f, 0f};
    String dict = "{'descr': '<f2', 'fortran_order': False, 'shape': (1, 7), }\n";
    ByteBuffer b = ByteBuffer.allocate(10 + dict.length() + 14).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) dict.length()).put(dict.getBytes(StandardCharsets.US_ASCII));
    for (short s : bits) {
      b.putShort(s);
    }
    NpyReader.NpyArray a = NpyReader.parse(b.array(), NAME, Long.MAX_VALUE);
    for (int i = 0; i < bits.length; i++) {
      assertEquals(want[i], (float) a.get(0, i), "half 0x" + Integer.toHexString(bits[i] & 0xFFFF));
    }
    short nan = 0x7E00;
    assertTrue(Float.isNaN(NpyReader.halfToFloat(nan)));
  }

  @Test
  void python2LongSuffixAndDoubleQuotesAreAccepted() throws SceneLoadException {
    String dict = "{\"descr\": \"<u2\", \"fortran_order\": False, \"shape\": (1L, 2L)}\n";
    ByteBuffer b = ByteBuffer.allocate(10 + dict.length() + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) dict.length()).put(dict.getBytes(StandardCharsets.US_ASCII));
    b.putShort((short) 7).putShort((short) 65535);
    NpyReader.NpyArray a = NpyReader.parse(b.array(), NAME, Long.MAX_VALUE);
    assertEquals(65535.0, a.get(0, 1));
  }
}
