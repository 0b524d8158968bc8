package dev.ssrl.tasks.scene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ssrl.api.DepthMap;
import dev.ssrl.tasks.scene.impl.NpyTestFiles;
import dev.ssrl.tasks.scene.impl.PfmReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Depth headers that used to load as wrong depth or fail without naming the file (issue 16): PFM
 * line ends other than LF, malformed PFM headers, and {@code .npy} shapes whose element count
 * overflows 64-bit arithmetic.
 */
class DepthHeaderHostileTest {
  private static final SceneLoader LOADER = SceneLoader.defaults();
  private static final String[] EOLS = {"\n", "\r\n", "\r"};

  @TempDir Path tmp;

  /** A one-channel PFM with the given line end; data bytes as given (row order as stored). */
  private static byte[] pfm(String eol, int w, int h, String scale, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] head =
        ("Pf" + eol + w + " " + h + eol + scale + eol).getBytes(StandardCharsets.US_ASCII);
    out.write(head, 0, head.length);
    out.write(data, 0, data.length);
    return out.toByteArray();
  }

  @Test
  void pfmReadsTheSameFloatsWithAnyLineEnd() {
    // The data is random bytes; on half of the examples its first byte is 0x0A, so that a CR line
    // end followed by the data reads like CRLF and only the data length tells them apart.
    qt().withExamples(300)
        .forAll(
            integers().between(1, 9),
            integers().between(1, 9),
            integers().between(0, 5),
            longs().all())
        .checkAssert(
            (w, h, style, seed) -> {
              int eol = style % 3;
              boolean little = style >= 3;
              SplittableRandom rnd = new SplittableRandom(seed);
              byte[] data = new byte[w * h * 4];
              rnd.nextBytes(data);
              if (rnd.nextBoolean()) {
                data[0] = '\n';
              }
              PfmReader.Pfm p;
              try {
                p =
                    PfmReader.parse(
                        pfm(EOLS[eol], w, h, little ? "-1.0" : "1.0", data),
                        Path.of("p.pfm"),
                        1 << 20);
              } catch (SceneLoadException e) {
                throw new AssertionError(e);
              }
              ByteBuffer buf =
                  ByteBuffer.wrap(data)
                      .order(little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
              for (int fileRow = 0; fileRow < h; fileRow++) {
                for (int x = 0; x < w; x++) {
                  int bits = buf.getInt((fileRow * w + x) * 4);
                  int y = h - 1 - fileRow;
                  assertEquals(
                      bits,
                      Float.floatToRawIntBits(p.values()[y * w + x]),
                      "(" + x + ", " + y + ")");
                }
              }
            });
  }

  @Test
  void crlfPfmIsNotReadOneByteOff() throws IOException {
    // The case: 1.5f little-endian read from one byte late is a denormal-or-huge value.
    byte[] data =
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(2.5f).array();
    Path p = SceneTestImages.write(tmp, "crlf.pfm", pfm("\r\n", 2, 1, "-1.0", data));
    DepthMap d = LOADER.loadDepth(p, null);
    assertEquals(1.5f, d.at(0, 0));
    assertEquals(2.5f, d.at(1, 0));
  }

  @Test
  void pfmTrailingBytesAreIgnored() throws IOException {
    byte[] data = ByteBuffer.allocate(6).putFloat(3f).putShort((short) 0x0D0A).array();
    Path p = SceneTestImages.write(tmp, "trail.pfm", pfm("\r\n", 1, 1, "1", data));
    assertEquals(3f, LOADER.loadDepth(p, null).at(0, 0));
  }

  private String pfmRejection(String name, String header) throws IOException {
    byte[] head = header.getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[head.length + 64];
    System.arraycopy(head, 0, b, 0, head.length);
    Path p = SceneTestImages.write(tmp, name, b);
    SceneLoadException e = assertThrows(SceneLoadException.class, () -> LOADER.loadDepth(p, null));
    assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
    return e.reason();
  }

  @Test
  void malformedPfmHeadersAreNamed() throws IOException {
    assertEquals(
        "corrupt PFM header: scale 'abc' is not a decimal number",
        pfmRejection("a.pfm", "Pf\n2 2\nabc\n"));
    // Java's parseDouble takes "1d", "0x1p3" and "Infinity"; a PFM header does not.
    assertEquals(
        "corrupt PFM header: scale '1d' is not a decimal number",
        pfmRejection("b.pfm", "Pf\n2 2\n1d\n"));
    assertEquals(
        "corrupt PFM header: scale 'Infinity' is not a decimal number",
        pfmRejection("c.pfm", "Pf\n2 2\nInfinity\n"));
    assertEquals(
        "corrupt PFM header: size '+2 2' is not two positive integers",
        pfmRejection("d.pfm", "Pf\n+2 2\n-1\n"));
    assertEquals("corrupt PFM header: invalid size 0x2", pfmRejection("e.pfm", "Pf\n0 2\n-1\n"));
    assertEquals(
        "corrupt PFM header: invalid size 99999999999999999999x2",
        pfmRejection("f.pfm", "Pf\n99999999999999999999 2\n-1\n"));
    assertEquals(
        "corrupt PFM header: width is too long",
        pfmRejection("g.pfm", "Pf\n" + "1".repeat(40) + " 2\n-1\n"));
    assertEquals(
        "corrupt PFM header: byte 0x0B after the scale, expected a line end",
        pfmRejection("h.pfm", "Pf\n2 2\n-1\u000b"));
    assertEquals(
        "corrupt PFM header: scale 0 must be a non-zero number",
        pfmRejection("i.pfm", "Pf\n2 2\n0\n"));
  }

  private SceneLoadException npyRejected(SceneLoader loader, String name, String shape)
      throws IOException {
    // 2 KiB of data after the header, more than any wrapped-around size below asks for.
    byte[] npy = NpyTestFiles.write(1, "<f4", false, shape, 0, 0, new double[0]);
    byte[] b = java.util.Arrays.copyOf(npy, npy.length + 2048);
    Path p = SceneTestImages.write(tmp, name, b);
    SceneLoadException e = assertThrows(SceneLoadException.class, () -> loader.loadDepth(p, null));
    assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
    return e;
  }

  @Test
  void npyShapesThatOverflowAreNamedErrors() throws IOException {
    // (2^56 + 192) * 256 wraps to 256 * 192 = 49,152; (2^63 - 1) * 2 to -2; 2^62 * 4 to 0.
    String[] shapes = {
      "(72057594037928128, 256)", "(9223372036854775807, 2)", "(4611686018427387904, 4)"
    };
    String[] widths = {"256x72057594037928128", "2x9223372036854775807", "4x4611686018427387904"};
    for (int i = 0; i < shapes.length; i++) {
      SceneLoadException e = npyRejected(LOADER, "s" + i + ".npy", shapes[i]);
      assertEquals(
          "array " + widths[i] + " exceeds the pixel budget of 50000000; refused before reading",
          e.reason());
    }
    // Without a pixel budget the byte count (2^61 * 2 * 4 bytes) is still computed exactly.
    SceneLoadException e =
        npyRejected(LOADER.withMaxPixels(Long.MAX_VALUE), "u.npy", "(2305843009213693952, 2)");
    assertEquals("array of shape (2305843009213693952, 2) of <f4 is too large to read", e.reason());
  }
}
